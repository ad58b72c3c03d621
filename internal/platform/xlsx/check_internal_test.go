package xlsx

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestTagCounterAcrossBuffers(t *testing.T) {
	xml := []byte(`<sst><si><t>a</t></si><x:si/><si	/></si><sis/><row r="1"/></sst>`)
	for _, chunk := range []int{1, 2, 3, 5, len(xml)} {
		tc := &tagCounter{lim: Limits{Rows: 10, Strings: 10}}
		for p := xml; len(p) > 0; {
			n := min(chunk, len(p))
			if err := tc.write(p[:n]); err != nil {
				t.Fatal(err)
			}
			p = p[n:]
		}
		if tc.sis != 3 || tc.rows != 1 {
			t.Errorf("chunks of %d: %d si, %d rows; want 3 and 1", chunk, tc.sis, tc.rows)
		}
	}
}

func TestCounterStopsAtTheLimit(t *testing.T) {
	// A reader that never ends, as a part whose directory lied would be
	// without archive/zip's own check.
	var st Stats
	c := &counter{r: bytes.NewReader(make([]byte, 8<<20)), st: &st, max: 1 << 20}
	_, err := io.Copy(io.Discard, c)
	var le *LimitError
	if !errors.As(err, &le) || le.Limit != LimitUnpacked {
		t.Fatalf("copy = %v, want the unpacked limit", err)
	}
	if st.Read != 1<<20+1 {
		t.Errorf("read %d bytes, want the limit and one", st.Read)
	}
}
