"""The composition root: the only place concrete adapters are built from the settings.

`open_train` yields one train's runtime (store, clients and the use-cases over them);
`open_settings` the runtime of commands that work on no single train (`check`, `db upgrade`);
`open_serving` what `serve` keeps open for its whole life. They are the only constructors.
"""

from bot.bootstrap.build import build_notifier
from bot.bootstrap.clients import SystemClock
from bot.bootstrap.configuration import SettingsRuntime, StoreState, open_settings
from bot.bootstrap.serving import ServingRuntime, open_chat, open_serving
from bot.bootstrap.train import TrainRuntime, open_train

__all__ = [
    "ServingRuntime",
    "SettingsRuntime",
    "StoreState",
    "SystemClock",
    "TrainRuntime",
    "build_notifier",
    "open_chat",
    "open_serving",
    "open_settings",
    "open_train",
]
