package work

import "guatu/internal/platform/i18n"

// evidenceMessages are the words of attachments, evidence and the units'
// progress rows.
var evidenceMessages = i18n.Catalog{
	"task.files":                   {ZH: "附件", EN: "Attachments"},
	"task.files_hint":              {ZH: "照片、PDF或Word、Excel文档，每个不超过%d MB，最多%d个", EN: "photos, PDFs or Word and Excel documents, up to %d MB each, at most %d"},
	"task.evidence":                {ZH: "办结佐证材料", EN: "Evidence for closing"},
	"task.evidence_hint":           {ZH: "申请办结时可附上照片、验收单等佐证材料", EN: "when applying to close, attach photos, acceptance sheets and other evidence"},
	"task.units":                   {ZH: "各单位进展", EN: "Progress by unit"},
	"task.unit.lead":               {ZH: "牵头", EN: "Lead"},
	"task.unit.co":                 {ZH: "协办", EN: "Co-unit"},
	"task.unit.col.unit":           {ZH: "单位", EN: "Unit"},
	"task.unit.col.percent":        {ZH: "进度", EN: "Progress"},
	"task.unit.col.last":           {ZH: "最近一次报送", EN: "Last report"},
	"task.unit.col.at":             {ZH: "报送时间", EN: "Reported"},
	"task.unit.none":               {ZH: "尚未报送", EN: "not reported yet"},
	"task.unit.lagging":            {ZH: "滞后", EN: "Lagging"},
	"task.unit.reports":            {ZH: "共%d次", EN: "%d reports"},
	"task.unit_report":             {ZH: "报送本单位进展", EN: "Report your unit's part"},
	"task.unit_report_hint":        {ZH: "协办单位报送本单位承担部分的进展，申请办结由牵头单位提出", EN: "a co-unit reports its own part; the lead unit applies to close"},
	"task.error.unit_report_state": {ZH: "事项签收后、申请办结前，协办单位方可报送进展", EN: "a co-unit reports once the task is claimed and until the lead unit applies to close"},
	"task.error.files_submit_only": {ZH: "只有申请办结时可以附佐证材料", EN: "evidence can be attached only when applying to close"},
}
