"""advocacy: find a company's best customer advocates.

Explained advocacy scores, qualification tiers and outreach plans for customer accounts, from a
configurable model. The scoring runs in Rust (``advocacy-core``); tables from pandas, polars and
pyarrow are read through Arrow without a Python loop.

>>> import advocacy
>>> model = advocacy.Model.default().with_targets(industries=["software"])
>>> s = model.score({"id": "acme", "nps": 9, "health_score": 85, "roi_achieved": True})
>>> s.total, s.tier
(30.0, 'not_yet_qualified')

Tiers are ordered, worst first, in every table the library returns (``TIERS``):

>>> advocacy.TIERS
('not_advocate_material', 'not_yet_qualified', 'silver', 'gold', 'platinum')
"""

from advocacy._core import (
    AdvocacyError,
    Model,
    ModelError,
    ProgramError,
    Score,
    SignalError,
    TIERS,
    UsageError,
    __version__,
    standard_signals,
)
from advocacy._frames import ColumnWarning
from advocacy import program

__all__ = [
    "AdvocacyError",
    "ColumnWarning",
    "Model",
    "ModelError",
    "ProgramError",
    "Score",
    "SignalError",
    "TIERS",
    "UsageError",
    "standard_signals",
    "__version__",
]
