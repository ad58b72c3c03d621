package targets

import "guatu/internal/platform/i18n"

// reviewAuditMessages label a figure's review fields on the audit page, so
// an approval, a return or a replacement reads as 审核状态 待审核 → 已通过.
var reviewAuditMessages = i18n.Catalog{
	"audit.field.figure.status":        {ZH: "审核状态", EN: "Review status"},
	"audit.field.figure.reviewed_by":   {ZH: "审核人", EN: "Reviewed by"},
	"audit.field.figure.reviewed_at":   {ZH: "审核时间", EN: "Reviewed at"},
	"audit.field.figure.review_reason": {ZH: "退回原因", EN: "Reason for return"},
	"target.review.status.approved":    {ZH: "已通过", EN: "Approved"},
	"target.review.status.replaced":    {ZH: "已被重新录入", EN: "Replaced by a new entry"},
}

// reviewQueueMessages are the review queue's own texts beyond the first ones.
var reviewQueueMessages = i18n.Catalog{
	"target.review.total":        {ZH: "共%d条待审核", EN: "%d pending in all"},
	"target.review.off_settings": {ZH: "在目标设置中开启", EN: "Switch it on in the target settings"},
}
