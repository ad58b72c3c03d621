package targets

import "guatu/internal/platform/i18n"

// catalogueMessages are the texts of sub-items (其中), aliases (别名) and
// adding an indicator from an import's preview.
var catalogueMessages = i18n.Catalog{
	"target.err.parent_self":                    {ZH: "指标不能是自己的上级指标", EN: "An indicator cannot be its own parent"},
	"target.err.no_parent_indicator":            {ZH: "上级指标须是共用指标或本镇自有指标", EN: "The parent must be a shared indicator or one of the township's own"},
	"target.err.parent_depth":                   {ZH: "“%s”本身是其中项，其中项下不能再设其中项", EN: "“%s” is itself a sub-item; sub-items go one level deep"},
	"target.err.has_subitems":                   {ZH: "本指标已有其中项“%s”，不能再作其他指标的其中项", EN: "This indicator has the sub-item “%s” and cannot be a sub-item itself"},
	"target.err.alias_clash":                    {ZH: "别名“%s”已指向指标“%s”，一个名称只能对应一个指标", EN: "The alias “%s” already names the indicator “%s”; a name names one indicator"},
	"target.err.alias_taken":                    {ZH: "别名“%s”已被另一指标使用", EN: "The alias “%s” is taken by another indicator"},
	"target.err.name_is_alias":                  {ZH: "“%s”已是指标“%s”的别名", EN: "“%s” is already an alias of the indicator “%s”"},
	"target.err.too_many_aliases":               {ZH: "别名最多%d个", EN: "At most %d aliases"},
	"target.page.ind.parent":                    {ZH: "上级指标（其中项所属）", EN: "Parent (for a sub-item, 其中)"},
	"target.page.ind.parent_none":               {ZH: "无（一级指标）", EN: "none (a top-level indicator)"},
	"target.page.ind.aliases":                   {ZH: "别名", EN: "Aliases"},
	"target.page.ind.aliases_hint":              {ZH: "导入时按别名认出本指标；多个以顿号、逗号或换行分隔", EN: "the import recognises the indicator by these names; separate several with 、，, or new lines"},
	"target.page.ind.aliases_own":               {ZH: "本镇别名", EN: "The township's aliases"},
	"target.page.ind.aliases_shared":            {ZH: "共用别名", EN: "Shared aliases"},
	"target.page.ind.alias_of":                  {ZH: "%s（%s）", EN: "%s (%s)"},
	"target.page.ind.aliases_save":              {ZH: "保存别名", EN: "Save the aliases"},
	"target.page.ind.subitem_of":                {ZH: "其中项，属%s", EN: "sub-item of %s"},
	"audit.entity.indicator_aliases":            {ZH: "指标别名", EN: "Indicator aliases"},
	"audit.field.indicator_aliases.township_id": {ZH: "所属镇（街道）", EN: "Township"},
	"audit.field.indicator_aliases.aliases":     {ZH: "别名", EN: "Aliases"},
	"audit.field.indicator.parent_id":           {ZH: "上级指标", EN: "Parent indicator"},
	"import.err.sub_exceeds":                    {ZH: "其中项大于上级指标%s（第%d行）", EN: "The sub-item is larger than its parent %s (row %d)"},
	"import.add.name_hint":                      {ZH: "须与表中名称一致", EN: "as the sheet names it"},
	"import.alias_matched":                      {ZH: "按别名“%s”匹配为%s", EN: "Matched by the alias “%s” as %s"},
	"import.add.title":                          {ZH: "将未知指标加入本镇指标库", EN: "Add the unknown indicators to the township's catalogue"},
	"import.add.hint":                           {ZH: "加入后将重新检查本表；写入数据前还需为其设定目标。", EN: "The sheet is checked again once added; its rows still need a target before figures are written."},
	"import.add.submit":                         {ZH: "加入指标库", EN: "Add to the catalogue"},
	"import.add.added":                          {ZH: "已将指标加入本镇指标库，本表已重新检查", EN: "The indicator was added to the township's catalogue and the sheet checked again"},
}
