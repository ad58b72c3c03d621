package targets

import "guatu/internal/platform/i18n"

// importTargetMessages are the texts of the year's targets an import brings
// (import_targets.go): the preview's decisions, its confirmation and the
// commit's account of them.
var importTargetMessages = i18n.Catalog{
	// Args: the kept value, the sheet's (strings), the measurement unit.
	"import.target.change": {ZH: "年度目标 %[1]s%[3]s → %[2]s%[3]s", EN: "Year's target %[1]s %[3]s → %[2]s %[3]s"},
	// Args: the growth rate kept (string), the sheet's value (string), the measurement unit.
	"import.target.growth_kept": {ZH: "该年度目标为增速目标（%[1]s%%），表中的年度任务数%[2]s%[3]s未写入", EN: "The year's target is a growth rate (%[1]s%%): the sheet's %[2]s %[3]s is not written"},
	// Args: the kept value, the sheet's (strings), the measurement unit.
	"import.target.not_allowed": {ZH: "表中年度任务数%[2]s%[3]s与已设定的年度目标%[1]s%[3]s不同；年度目标须由管理目标的人员修改，本次未写入", EN: "The sheet's year target %[2]s %[3]s differs from the one set, %[1]s %[3]s; only those who keep targets change them, so it is not written"},

	"import.targets.changes_title":          {ZH: "以下%d个年度目标与表中的年度任务数不同，勾选确认后随本次导入一并修改", EN: "%d of the year's targets differ from the sheet: tick the confirmation to change them with this import"},
	"import.targets.confirm":                {ZH: "已核对，确认修改以上年度目标", EN: "I have checked them: change these targets"},
	"import.targets.summary":                {ZH: "年度目标：新建%d个，修改%d个。", EN: "Year's targets: %d to create, %d to change."},
	"import.targets.committed":              {ZH: "年度目标新建%d个、修改%d个", EN: "year's targets: %d created, %d changed"},
	"import.col.target":                     {ZH: "年度目标", EN: "Year's target"},
	"import.status.target_create":           {ZH: "新建目标", EN: "new target"},
	"import.status.target_change":           {ZH: "修改目标", EN: "target changes"},
	"import.status.target_only":             {ZH: "仅设目标", EN: "target only"},
	"target.err.import_targets_unconfirmed": {ZH: "本次导入将修改%d个年度目标，请核对后勾选“确认修改以上年度目标”再导入；未写入任何数据", EN: "This import changes %d of the year's targets: check them and tick “change these targets” before importing; nothing was written"},

	"audit.field.import.targets_created": {ZH: "新建年度目标", EN: "Targets created"},
	"audit.field.import.targets_changed": {ZH: "修改年度目标", EN: "Targets changed"},
}
