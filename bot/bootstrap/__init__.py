"""The composition root: the only place concrete adapters are built from the settings.

`open_train` yields one train's runtime (store, clients, calendar, sync, attach, renderer and the
use-cases over them); `open_settings` the runtime of commands that work on no single train.
"""

from bot.bootstrap.clients import Clients, SystemClock
from bot.bootstrap.configuration import SettingsRuntime, StoreState, open_settings
from bot.bootstrap.serving import ServingRuntime, open_serving
from bot.bootstrap.train import TrainRuntime, open_train

__all__ = [
    "Clients",
    "ServingRuntime",
    "SettingsRuntime",
    "StoreState",
    "SystemClock",
    "TrainRuntime",
    "open_serving",
    "open_settings",
    "open_train",
]
