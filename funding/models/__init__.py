"""Cement and funds (xi măng và vốn) of the New Rural Development programme: what was
allocated to which unit, what was delivered, used and disbursed, the communes
registered to reach the standard in a year, value-chain projects (dự án liên kết chuỗi
giá trị) vetted against QĐ 4781/QĐ-BNN-VPĐP, and OCOP products.

Notice 58/TB-UBND (06/07/2020) asks the coordination office to propose how to share the
2020 cement reserve (priority to units that used a high share of the cement given, and
to units with communes registered to reach the standard in 2020), says disbursement is
slow, and asks it to vet the value-chain projects; this app holds what that needs.

Units, amounts, rules:

- Tonnes are ``Decimal`` with up to three decimals (``max_digits=12``); VND are whole
  ``Decimal`` dong (``max_digits=18, decimal_places=0``), never float.
- An allocation goes to a **holder**: a district (the years before the 2025 reform) or
  a commune (any year; the only choice from 01/07/2025, when districts ceased to
  exist). Use and deliveries are reported against the holder, for a year; a use report
  may name the commune or hamlet inside the holder where the cement went (``place``).
- The database holds what a row alone can check (non-negative amounts, a road kind
  exactly for a road, 3 to 5 OCOP stars...); what needs other rows (a use report may
  not take its holder beyond the year's allocation, a holder may not nest in another
  holder of the same year) is checked by :mod:`funding.services.cement` under row locks.
- Every model users write keeps its history (django-simple-history); the services set
  the acting user.
"""

from funding.models.cement import (
    LINEAR_PURPOSES,
    BatchKind,
    CementAllocation,
    CementBatch,
    CementDelivery,
    CementUse,
    RoadBacklog,
    RoadKind,
    StandardTarget,
    UsePurpose,
)
from funding.models.common import KM, TONNES, VND, YEAR_RANGE
from funding.models.funds import (
    Disbursement,
    DisbursementMilestone,
    FundAllocation,
    FundSource,
    FundSourceManager,
    SourceKind,
)
from funding.models.projects import (
    CheckOutcome,
    ConditionCheck,
    OcopGroup,
    OcopProduct,
    PartnerKind,
    ProjectStatus,
    SupportCondition,
    SupportConditionManager,
    ValueChainProject,
    Verification,
)

__all__ = [
    "KM",
    "LINEAR_PURPOSES",
    "TONNES",
    "VND",
    "YEAR_RANGE",
    "BatchKind",
    "CementAllocation",
    "CementBatch",
    "CementDelivery",
    "CementUse",
    "CheckOutcome",
    "ConditionCheck",
    "Disbursement",
    "DisbursementMilestone",
    "FundAllocation",
    "FundSource",
    "FundSourceManager",
    "OcopGroup",
    "OcopProduct",
    "PartnerKind",
    "ProjectStatus",
    "RoadBacklog",
    "RoadKind",
    "SourceKind",
    "StandardTarget",
    "SupportCondition",
    "SupportConditionManager",
    "UsePurpose",
    "ValueChainProject",
    "Verification",
]
