package files

import "guatu/internal/platform/i18n"

// Messages are the file store's refusals, shown by the room that takes the
// upload (its Keys include "file.").
var Messages = i18n.Catalog{
	"file.error.empty":      {ZH: "文件“%s”是空的", EN: "the file “%s” is empty"},
	"file.error.too_large":  {ZH: "文件“%s”超过%d MB，请压缩或拆分后再上传", EN: "the file “%s” is larger than %d MB; compress or split it first"},
	"file.error.type":       {ZH: "文件“%s”的内容不是照片（JPG、PNG、GIF、WebP）、PDF或Word、Excel文档，已拒收（按文件内容检查，与扩展名无关）", EN: "the file “%s” is not a photo (JPG, PNG, GIF, WebP), a PDF or a Word or Excel document by its content (its name does not count), so it was refused"},
	"file.error.unreadable": {ZH: "文件“%s”无法读取，请重新上传", EN: "the file “%s” could not be read; send it again"},
	"file.error.too_many":   {ZH: "一次最多上传%d个文件", EN: "at most %d files at once"},
}
