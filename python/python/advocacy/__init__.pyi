from advocacy._core import AdvocacyError as AdvocacyError
from advocacy._frames import ColumnWarning as ColumnWarning
from advocacy._core import Model as Model
from advocacy._core import ModelError as ModelError
from advocacy._core import ProgramError as ProgramError
from advocacy._core import Score as Score
from advocacy._core import SignalError as SignalError
from advocacy._core import LANGS as LANGS
from advocacy._core import TIERS as TIERS
from advocacy._core import UsageError as UsageError
from advocacy._core import __version__ as __version__
from advocacy._core import message as message
from advocacy._core import standard_signals as standard_signals
from advocacy._core import text as text
from advocacy import program as program

__all__ = [
    "AdvocacyError",
    "ColumnWarning",
    "LANGS",
    "Model",
    "ModelError",
    "ProgramError",
    "Score",
    "SignalError",
    "TIERS",
    "UsageError",
    "message",
    "standard_signals",
    "text",
    "__version__",
]
