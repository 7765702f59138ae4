"""Models of the gender app: indicator values and frozen editions, the gender
impact assessment's own records, governance and staff composition, finance."""

from .finance import FundingEntry, FundingSource, Programme, ProgrammeYear
from .governance import (
    GenderMainstreamingEngagement,
    InternalGenderTool,
    InternalGenderTraining,
    StaffKind,
    StaffMember,
)
from .indicators import Edition, EditionValue, IndicatorValue, ValueKind

__all__ = [
    "Edition",
    "EditionValue",
    "FundingEntry",
    "FundingSource",
    "GenderMainstreamingEngagement",
    "IndicatorValue",
    "InternalGenderTool",
    "InternalGenderTraining",
    "Programme",
    "ProgrammeYear",
    "StaffKind",
    "StaffMember",
    "ValueKind",
]
