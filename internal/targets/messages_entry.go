package targets

import "guatu/internal/platform/i18n"

// entryMessages are the texts of the rules that compare a figure with the
// target's others (entry.go), and of the form and preview that ask for a
// correction's reason or a confirmation.
var entryMessages = i18n.Catalog{
	"target.err.below_earlier":   {ZH: "低于%s年1-%d月的%s%s（少%[5]s%[4]s）；如前几个月数据有误，请按更正录入", EN: "Below the %[3]s %[4]s of months 1–%[2]d of %[1]s (by %[5]s %[4]s); if the earlier months are wrong, enter this as a correction"},
	"target.err.below_january":   {ZH: "低于%s年1月的%[3]s%[4]s（少%[5]s%[4]s）；如前几个月数据有误，请按更正录入", EN: "Below the %[3]s %[4]s of January %[1]s (by %[5]s %[4]s); if the earlier months are wrong, enter this as a correction"},
	"target.err.above_later":     {ZH: "高于%s年1-%d月已报的%s%s（多%[5]s%[4]s），累计数不会减少；如后几个月数据有误，请按更正录入并随后更正这几个月", EN: "Above the %[3]s %[4]s already reported for months 1–%[2]d of %[1]s (by %[5]s %[4]s): a cumulative total cannot fall; if the later months are wrong, enter this as a correction and correct them next"},
	"target.err.reason_required": {ZH: "更正已报数据须填写更正原因", EN: "A correction of a reported figure needs a reason"},

	"target.err.suspect.previous.wan":  {ZH: "本次%[4]s%[3]s与上期（%[1]s）的%[2]s%[3]s相差约1万倍，可能把万元与亿元弄混了；请核对计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about 10,000 times off the previous figure (%[1]s: %[2]s %[3]s): 万元 and 亿元 mixed up? Check the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.previous.ten":  {ZH: "本次%[4]s%[3]s与上期（%[1]s）的%[2]s%[3]s相差约%[5]s倍；请核对小数点和计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about %[5]s times off the previous figure (%[1]s: %[2]s %[3]s); check the decimal point and the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.last_year.wan": {ZH: "本次%[4]s%[3]s与去年同期的%[2]s%[3]s相差约1万倍，可能把万元与亿元弄混了；请核对计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about 10,000 times off last year's same period (%[2]s %[3]s): 万元 and 亿元 mixed up? Check the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.last_year.ten": {ZH: "本次%[4]s%[3]s与去年同期的%[2]s%[3]s相差约%[5]s倍；请核对小数点和计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about %[5]s times off last year's same period (%[2]s %[3]s); check the decimal point and the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.target.wan":    {ZH: "本次%[4]s%[3]s约为全年目标%[2]s%[3]s的1万倍，可能把万元与亿元弄混了；请核对计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about 10,000 times the annual target (%[2]s %[3]s): 万元 and 亿元 mixed up? Check the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.target.ten":    {ZH: "本次%[4]s%[3]s约为全年目标%[2]s%[3]s的%[5]s倍；请核对小数点和计量单位，无误请勾选“确认数值无误”", EN: "%[4]s %[3]s is about %[5]s times the annual target (%[2]s %[3]s); check the decimal point and the unit, and tick “the figure is right” if it is"},
	"target.err.suspect.converted":     {ZH: "计量单位写的是%[6]s，换算后为%[4]s%[3]s，与%[2]s%[3]s相差约%[5]s倍；如这个数本是%[3]s，请把计量单位改为%[3]s", EN: "The unit is given as %[6]s, which makes %[4]s %[3]s, about %[5]s times off %[2]s %[3]s; if the number is in %[3]s, write %[3]s as its unit"},

	"target.entry.confirm":          {ZH: "确认数值无误", EN: "The figure is right"},
	"target.entry.correction":       {ZH: "按更正录入（前后月份数据有误）", EN: "Enter as a correction (the months around it are wrong)"},
	"target.entry.reason":           {ZH: "更正原因", EN: "Reason for the correction"},
	"target.entry.reason_hint":      {ZH: "更正已报月份时必填", EN: "Required when correcting a reported month"},
	"target.entry.prefilled":        {ZH: "%s已报%s，以下为现有数值；修改后保存即为更正，须填写更正原因", EN: "%s already has %s: the values below are the kept ones; saving changes them as a correction, which needs a reason"},
	"target.entry.correct":          {ZH: "更正", EN: "Correct"},
	"target.page.reason":            {ZH: "更正原因", EN: "Reason"},
	"import.suspect.title":          {ZH: "以下%d行数值与上期、去年同期或年目标相差约10倍或1万倍，请逐行核对", EN: "%d rows are about 10 or 10,000 times off the previous month, last year or the annual target: check each"},
	"import.status.suspect":         {ZH: "请核对", EN: "Check"},
	"import.status.mismatch":        {ZH: "请核对", EN: "check"},
	"import.derived_last_year":      {ZH: "由增幅推算", EN: "from the growth"},
	"import.mismatch.title":         {ZH: "以下%d处与按本表数值计算的结果（超出四舍五入）或已设定的年度目标不一致，请核对；不影响导入", EN: "%d cells differ from the arithmetic on the sheet's own figures beyond rounding, or from the year's target set: check them (the import is not held up)"},
	"import.mismatch.growth":        {ZH: "同比增长填%s%%，按本年累计与去年同期计算为%s%%", EN: "the growth says %s%%; the figure and last year's give %s%%"},
	"import.mismatch.share":         {ZH: "占年计划填%s%%，按本年累计与年度目标计算为%s%%", EN: "the share of the target says %s%%; the figure and the target give %s%%"},
	"import.kept_last_year":         {ZH: "沿用已报", EN: "kept"},
	"import.suspect.confirm":        {ZH: "已逐行核对，确认数值无误", EN: "I have checked each row: the figures are right"},
	"target.err.import_unconfirmed": {ZH: "有%d行数值疑似单位错误，请核对后勾选“确认数值无误”再导入；未写入任何数据", EN: "%d rows look like a unit mistake: check them and tick “the figures are right” before importing; nothing was written"},
}
