from advocacy._core import Model as Model
from advocacy._core import ModelError as ModelError
from advocacy._core import Score as Score
from advocacy._core import SignalError as SignalError
from advocacy._core import __version__ as __version__
from advocacy._core import standard_signals as standard_signals
from advocacy import program as program
from advocacy.program import ProgramError as ProgramError

__all__ = ["Model", "ModelError", "Score", "SignalError", "standard_signals", "__version__"]
