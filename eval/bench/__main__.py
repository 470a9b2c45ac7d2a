"""``python -m policyqa.eval.bench``: see ``policyqa.eval.bench.run``."""

from policyqa.eval.bench.run import main

raise SystemExit(main())
