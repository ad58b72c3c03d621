package work

import "guatu/internal/platform/i18n"

// listMessages are the register's further filters.
var listMessages = i18n.Catalog{
	"task.filter.due_after":  {ZH: "时限自", EN: "Due from"},
	"task.filter.due_before": {ZH: "时限至", EN: "Due until"},
}
