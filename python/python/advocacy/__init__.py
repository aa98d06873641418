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

Labels, outreach texts and explanations ship in the guides' languages (``LANGS``):

>>> advocacy.LANGS
('en', 'id', 'ms', 'de', 'es')
>>> advocacy.Model.default(lang="es").score({"id": "a", "nps": 10}).outreach["who"]
'seguir nutriendo'
"""

from advocacy._core import (
    AdvocacyError,
    LANGS,
    Model,
    ModelError,
    ProgramError,
    Score,
    SignalError,
    TIERS,
    UsageError,
    __version__,
    message,
    standard_signals,
    text,
)
from advocacy._frames import ColumnWarning
from advocacy import program

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
