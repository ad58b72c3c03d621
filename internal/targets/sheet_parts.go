package targets

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// The parts of a workbook that excelize would only read whole, read here as
// streams from the zip (already held to readLimits by xlsx.Check).

// mergedRanges returns the merged ranges ("A3:A7") of the named sheet.
func mergedRanges(data []byte, sheet string) ([]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	part, err := sheetPart(zr, sheet)
	if err != nil || part == "" {
		return nil, err
	}
	var out []string
	err = eachElement(zr, part, "mergeCell", func(attrs []xml.Attr) {
		if ref := attr(attrs, "ref"); ref != "" {
			out = append(out, ref)
		}
	})
	return out, err
}

// sheetPart finds the part that holds the named sheet: the workbook names
// the sheet's relationship, and the workbook's relationships name the part.
// It returns "" when there is none.
func sheetPart(zr *zip.Reader, sheet string) (string, error) {
	var id string
	err := eachElement(zr, "xl/workbook.xml", "sheet", func(attrs []xml.Attr) {
		if id == "" && strings.EqualFold(attr(attrs, "name"), sheet) {
			id = attrNS(attrs, "id")
		}
	})
	if err != nil || id == "" {
		return "", err
	}
	var target string
	err = eachElement(zr, "xl/_rels/workbook.xml.rels", "Relationship", func(attrs []xml.Attr) {
		if target == "" && attr(attrs, "Id") == id {
			target = attr(attrs, "Target")
		}
	})
	if err != nil || target == "" {
		return "", err
	}
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(target, "/"), nil
	}
	return path.Join("xl", target), nil
}

// eachElement streams a part and calls fn with the attributes of every
// element of that local name. A missing part has no elements.
func eachElement(zr *zip.Reader, name, local string, fn func([]xml.Attr)) error {
	var file *zip.File
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, `\`, "/"), name) {
			file = f
			break
		}
	}
	if file == nil {
		return nil
	}
	rc, err := file.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == local {
			fn(se.Attr)
		}
	}
}

func attr(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// attrNS is an attribute in any namespace (r:id).
func attrNS(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Space != "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
