package targets

import "guatu/internal/platform/i18n"

// Keys of the import problems that ParseSheet reports. The catalogue checks
// done by the import service (unknown indicator, measure mismatch, …) use the
// other keys in sheetMessages.
const (
	keyNotXLSX          = "import.err.not_xlsx"
	keyTooLarge         = "import.err.too_large"
	keyTooManyRows      = "import.err.too_many_rows"
	keyNoHeader         = "import.err.no_header"
	keyNotANumber       = "import.err.not_a_number"
	keyMissingIndicator = "import.err.missing_indicator"
	keyDuplicateRow     = "import.err.duplicate_row"
	keyDuplicateUnitRow = "import.err.duplicate_unit_row"
	keyUnknownIndicator = "import.err.unknown_indicator"
	keyUnknownUnit      = "import.err.unknown_unit"
	keyMeasureMismatch  = "import.err.measure_mismatch"
	keyNegative         = "import.err.negative"
	keyFutureMonth      = "import.err.future_month"
	keyLegacy           = "import.err.legacy"
	keyUnpackedTooLarge = "import.err.unpacked_too_large"
	keyPartTooLarge     = "import.err.part_too_large"
	keyTooManyStrings   = "import.err.too_many_strings"
	keyTooManyParts     = "import.err.too_many_parts"
	keySheetNoHeader    = "import.sheet.no_header"
	keySheetNotRead     = "import.sheet.not_read"
	keyYearMismatch     = "import.err.year_mismatch"
	keyNegativeTarget   = "import.err.negative_target"
)

// sheetMessages holds the text of every import Problem.
//
// Convention: a message does not name the row or the column. The page shows
// Problem.Row, Problem.Column and Problem.Header in their own table cells and
// renders the message with exactly the Problem's Args:
//
//	bundle.T(lang, p.Key, p.Args...)
//
// The Args each key takes are listed beside it; callers that build a Problem
// for a catalogue check must pass the same.
var sheetMessages = i18n.Catalog{
	// No args: a sheet that was not read, shown beside its name.
	keySheetNoHeader: {
		ZH: "未读取：前15行中没有“指标名称”和本年累计数的表头（空白页、说明或图表）",
		EN: "Not read: no header with the indicator and this year's cumulative figure in its first 15 rows (blank, notes or a chart)",
	},
	// Args: the sheet that was read (string).
	keySheetNotRead: {
		ZH: "未读取：一次只导入一张工作表，本次导入的是“%s”；如这张也要导入，请另存为单独的文件后上传",
		EN: "Not read: one worksheet is imported at a time and this time it is “%s”; to import this one too, save it as a file of its own and upload that",
	},
	// Args: the year the sheet names (int), the year chosen (int).
	keyYearMismatch: {
		ZH: "表头写的是%d年，而所选年份是%d年：请核对文件或重新选择年份",
		EN: "The header says %d but the year chosen is %d: check the file or choose the year again",
	},
	// No args.
	keyNotXLSX: {
		ZH: "文件无法读取：请上传 Excel 工作簿（.xlsx）。如是 .xls、.et 或 .csv 文件，请先在 Excel 或 WPS 中“另存为”.xlsx 格式",
		EN: "The file cannot be read: please upload an Excel workbook (.xlsx). An .xls, .et or .csv file must first be saved as .xlsx in Excel or WPS",
	},
	// No args.
	keyLegacy: {
		ZH: "这不是 .xlsx 文件，而是旧版 Excel 97-2003 工作簿（.xls、.et）或加了密码的文件：请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后重新上传；有密码的请先取消密码",
		EN: "This is not an .xlsx file but an old Excel 97-2003 workbook (.xls, .et) or a password-protected file: save it as an Excel workbook (.xlsx) in Excel or WPS and upload it again; remove any password first",
	},
	// Args: limit in MB (int).
	keyUnpackedTooLarge: {
		ZH: "文件解压后超过%dMB，无法导入；请删除多余的工作表或空行后重新上传",
		EN: "The file unpacks to more than %d MB and cannot be imported; delete unneeded worksheets or empty rows and upload it again",
	},
	// Args: the part's name in the file (string), limit in MB (int).
	keyPartTooLarge: {
		ZH: "文件中的“%s”解压后超过%dMB（多为格式或对象过多），无法导入；请把数据复制到新建的工作簿后重新上传",
		EN: "The part “%s” of the file unpacks to more than %d MB (usually too many styles or objects) and cannot be imported; copy the data into a new workbook and upload that",
	},
	// Args: limit in distinct texts (int).
	keyTooManyStrings: {
		ZH: "表中不同的文字超过%d条，无法导入；请删除多余的工作表或内容后重新上传",
		EN: "The workbook holds more than %d distinct texts and cannot be imported; delete unneeded worksheets or content and upload it again",
	},
	// Args: limit in parts (int).
	keyTooManyParts: {
		ZH: "文件由超过%d个部件组成，不像统计报表，无法导入；请把数据复制到新建的工作簿后重新上传",
		EN: "The file is made of more than %d parts, unlike a statistics sheet, and cannot be imported; copy the data into a new workbook and upload that",
	},
	// Args: limit in MB (int).
	keyTooLarge: {
		ZH: "文件超过%dMB，请删除无关工作表、图片后重新上传",
		EN: "The file is larger than %d MB; remove unrelated worksheets and pictures and upload it again",
	},
	// Args: limit in rows (int).
	keyTooManyRows: {
		ZH: "表中超过%d行，无法导入；请删除多余的空行，或拆分后分批导入",
		EN: "The worksheet has more than %d rows and cannot be imported; delete empty rows, or split it and import the parts separately",
	},
	// No args.
	keyNoHeader: {
		ZH: "未找到表头：前15行中应有一行同时含“指标名称”列和“1-N月累计”（或“本年累计”）列",
		EN: "No header row found: one of the first 15 rows must contain both an “indicator name” (指标名称) column and a “cumulative 1–N” (1-N月累计 or 本年累计) column",
	},
	// Args: the cell text as written (string).
	keyNotANumber: {
		ZH: "“%s”不是数字，请填写阿拉伯数字，无数据请留空",
		EN: "“%s” is not a number; enter digits, or leave the cell empty when there is no figure",
	},
	// No args.
	keyMissingIndicator: {
		ZH: "该行填有数据，但指标名称为空",
		EN: "The row has figures but no indicator name",
	},
	// Args: the row number of the first occurrence (int), the indicator's
	// column letter.
	keyDuplicateRow: {
		ZH: "与第%d行的指标（%s列）重复，同一指标只能填报一行",
		EN: "Same indicator (column %[2]s) as row %[1]d; each indicator may appear only once",
	},
	// Args: the row number of the first occurrence (int), the indicator's
	// and the unit's column letters.
	keyDuplicateUnitRow: {
		ZH: "与第%d行的指标（%s列）、责任单位（%s列）重复，同一指标同一单位只能填报一行",
		EN: "Same indicator (column %[2]s) and unit (column %[3]s) as row %[1]d; each indicator may appear only once per unit",
	},
	// Args: the indicator name as written (string).
	keyUnknownIndicator: {
		ZH: "指标“%s”不在指标库中，请核对指标名称或先在指标库中新增",
		EN: "Indicator “%s” is not in the indicator catalogue; check the name or add it to the catalogue first",
	},
	// Args: the unit name as written (string).
	keyUnknownUnit: {
		ZH: "单位“%s”不存在或不在本人管辖范围内，请核对单位名称",
		EN: "Unit “%s” does not exist or is outside your scope; check the unit name",
	},
	// Args: the measurement unit in the sheet, the indicator's measurement unit (strings).
	keyMeasureMismatch: {
		ZH: "计量单位“%s”与指标库中的“%s”不一致且无法换算，请按指标库计量单位填报",
		EN: "Measurement unit “%s” differs from the catalogue’s “%s” and cannot be converted; report in the catalogue’s unit",
	},
	// No args.
	keyNegative: {
		ZH: "该指标不能为负数",
		EN: "This indicator cannot be negative",
	},
	// No args.
	keyNegativeTarget: {
		ZH: "年度目标不能为负数，请核对",
		EN: "A year's target cannot be negative; check the cell",
	},
	// Args: the year and month N of 1-N月, then the year, month and day it
	// opens (ints); the same words as the form's target.err.future_period.
	keyFutureMonth: {
		ZH: "%d年%d月尚未结束，该月数据自%d年%d月%d日起可填报，请核对表头月份",
		EN: "Month %[2]d of %[1]d has not ended: its figures can be imported from %[3]d-%02[4]d-%02[5]d; check the month in the header",
	},
}

// SheetMessages returns the catalogue of import problem texts, for the
// server to merge with i18n.New.
func SheetMessages() i18n.Catalog { return sheetMessages }
