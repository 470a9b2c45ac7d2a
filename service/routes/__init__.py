"""The HTTP routes, one ``APIRouter`` per resource; ``service.app.create_app`` includes them.

``health`` (``/healthz``, ``/readyz``), ``ask`` (``/v1/ask``), ``search`` (``/v1/search``),
``documents`` (``/v1/documents``), ``profiles`` (``/v1/profiles``), ``models`` (``/v1/models``),
``chat`` (``/v1/chat/completions``) and ``page`` (the analyst page at ``/``). Routes get the engine
through ``EngineDep`` (``service.engine_state``); request and response models are in
``service.schemas``, ``service.profile_schemas`` and ``service.chat.schemas``.
"""
