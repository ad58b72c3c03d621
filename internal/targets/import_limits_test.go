package targets_test

import (
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/platform/xlsx/xlsxtest"
)

// uploadStream posts the import form with a file of size bytes of zeros,
// generated as it is sent, so the test holds none of it.
func (c *importClient) uploadStream(size int64, unit string) (int, string) {
	c.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("csrf", c.csrf)
		mw.WriteField("unit_id", unit)
		fw, _ := mw.CreateFormFile("file", "大.xlsx")
		_, err := io.Copy(fw, io.LimitReader(zeroReader{}, size))
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/targets/import", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status, body, _ := c.send(req)
	pr.Close()
	return status, body
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// TestImportUploadLimits: a file over 20 MB is refused with 413 and says
// so; a body past the server's limit too, not as a bad CSRF token; and a
// hostile workbook under 20 MB reaches the preview with its own message.
func TestImportUploadLimits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := strconv.FormatInt(res.TownshipID, 10)
		imports := func() int { return mustCount(t, d, `SELECT COUNT(*) FROM imports`) }
		before := imports()

		status, page := c.uploadStream(25<<20, town)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "文件超过20MB") || !strings.Contains(page, `data-testid="error-file"`) {
			t.Errorf("25 MB upload: %d, want 413 with the form saying 文件超过20MB", status)
		}
		status, page = c.uploadStream(50_000_000, town)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "提交的内容超过上限") {
			t.Errorf("50 MB upload: %d, want 413 saying 提交的内容超过上限", status)
		}
		if n := imports(); n != before {
			t.Errorf("refused uploads kept %d imports", n-before)
		}

		sst := xlsxtest.Part{Name: xlsxtest.SharedStrings, Head: `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`,
			Body: strings.Repeat(`<si><t>填报</t></si>`, 1<<20/24), Times: 450, Tail: `</sst>`}
		for _, tc := range []struct {
			name string
			file []byte
			want string
		}{
			{"450 MiB of shared strings", xlsxtest.Workbook(t, sst), "文件解压后超过64MB，无法导入；请删除多余的工作表或空行后重新上传"},
			{"an .xls renamed .xlsx", xlsxtest.Legacy(64 << 10), "这不是 .xlsx 文件"},
		} {
			status, _, h := c.upload(tc.name+".xlsx", tc.file, map[string]string{"unit_id": town})
			if status != http.StatusSeeOther {
				t.Fatalf("%s: upload %d, want the preview", tc.name, status)
			}
			_, page, _ := c.get(h.Get("Location"))
			if !strings.Contains(page, tc.want) || strings.Contains(page, `data-testid="commit"`) {
				t.Errorf("%s: the preview does not say %s, or offers to commit", tc.name, tc.want)
			}
		}
	})
}
