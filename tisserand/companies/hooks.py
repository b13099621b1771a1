"""What the services tell each other about a company, through the companies layer.

The services (events, opportunities, clauses…) sit above the companies app and never import
each other. When one needs what another knows about a company, this module declares a hook
(``tisserand.core.registry.Hooks``) and the app that knows provides it in its
``AppConfig.ready()``; each fallback is what holds when the providing app is absent.
"""

from tisserand.core.registry import Hooks

hooks = Hooks("entreprises")
