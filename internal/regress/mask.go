package regress

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"regexp"
	"strings"
)

// MaskToken replaces every masked wall-clock value.
const MaskToken = "T"

var (
	// A JSON number under a key ending in _seconds, raw or HTML-escaped
	// (&#34; is how html/template escapes the quote inside <pre>).
	jsonSecondsRE = regexp.MustCompile(`((?:"|&#34;)[A-Za-z0-9_]*_seconds(?:"|&#34;)\s*:\s*)-?[0-9][0-9.eE+-]*`)
	// p1grid's sentence "Search time 12.3 s (refit 0.4 s)".
	searchTimeRE = regexp.MustCompile(`(Search time )[0-9][0-9.]*( s \(refit )[0-9][0-9.]*( s\))`)
	numberRE     = regexp.MustCompile(`-?[0-9][0-9.eE+-]*`)
	thRE         = regexp.MustCompile(`<th[^>]*>(.*?)</th>`)
	tdRE         = regexp.MustCompile(`(<td[^>]*>)(.*?)(</td>)`)
)

// volatileColumn reports whether a table column (a CSV header, a
// Markdown or HTML table heading) holds wall-clock times.
func volatileColumn(name string) bool {
	name = strings.TrimSpace(name)
	return name == "fit s" || strings.HasSuffix(name, "_time")
}

// volatileKey reports whether a JSON key holds a wall-clock time.
func volatileKey(key string) bool { return strings.HasSuffix(key, "_seconds") }

// Mask returns data with its wall-clock values replaced by MaskToken,
// chosen by the file name's extension, and how many it replaced. Files
// of other types are returned unchanged.
func Mask(name string, data []byte) ([]byte, int) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return maskJSONSeconds(data)
	case ".csv":
		return maskCSV(data)
	case ".md":
		out, n := maskSentence(data)
		out, m := maskMarkdownTables(out)
		return out, n + m
	case ".html", ".htm":
		out, n := maskJSONSeconds(data)
		out, m := maskSentence(out)
		out, k := maskHTMLTables(out)
		return out, n + m + k
	}
	return data, 0
}

func maskJSONSeconds(data []byte) ([]byte, int) {
	n := 0
	out := jsonSecondsRE.ReplaceAllFunc(data, func(m []byte) []byte {
		n++
		return jsonSecondsRE.ReplaceAll(m, []byte("${1}"+MaskToken))
	})
	return out, n
}

func maskSentence(data []byte) ([]byte, int) {
	n := 0
	out := searchTimeRE.ReplaceAllFunc(data, func(m []byte) []byte {
		n += 2
		return searchTimeRE.ReplaceAll(m, []byte("${1}"+MaskToken+"${2}"+MaskToken+"${3}"))
	})
	return out, n
}

// maskCell replaces the numbers of one table cell.
func maskCell(cell string) (string, int) {
	n := 0
	out := numberRE.ReplaceAllStringFunc(cell, func(string) string { n++; return MaskToken })
	return out, n
}

// maskCSV re-encodes a CSV file with its volatile columns masked. A file
// that does not parse is returned unchanged.
func maskCSV(data []byte) ([]byte, int) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) == 0 {
		return data, 0
	}
	var cols []int
	for i, h := range recs[0] {
		if volatileColumn(h) {
			cols = append(cols, i)
		}
	}
	if len(cols) == 0 {
		return data, 0
	}
	n := 0
	for _, r := range recs[1:] {
		for _, c := range cols {
			if c < len(r) {
				r[c] = MaskToken
				n++
			}
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.WriteAll(recs)
	return buf.Bytes(), n
}

// maskMarkdownTables masks the volatile columns of pipe tables.
func maskMarkdownTables(data []byte) ([]byte, int) {
	lines := strings.Split(string(data), "\n")
	n := 0
	var cols []int // volatile columns of the current table; nil outside one
	inTable := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if !strings.HasPrefix(t, "|") {
			inTable, cols = false, nil
			continue
		}
		cells := strings.Split(strings.Trim(t, "|"), "|")
		if !inTable {
			inTable = true
			for j, c := range cells {
				if volatileColumn(c) {
					cols = append(cols, j)
				}
			}
			continue
		}
		if len(cols) == 0 || strings.Trim(t, "|-: ") == "" {
			continue
		}
		for _, c := range cols {
			if c < len(cells) {
				var k int
				cells[c], k = maskCell(cells[c])
				n += k
			}
		}
		lines[i] = "|" + strings.Join(cells, "|") + "|"
	}
	return []byte(strings.Join(lines, "\n")), n
}

// maskHTMLTables masks the volatile columns of the report's tables,
// written one <tr> per line with <th> headings.
func maskHTMLTables(data []byte) ([]byte, int) {
	lines := strings.Split(string(data), "\n")
	n := 0
	var cols map[int]bool
	for i, l := range lines {
		switch {
		case strings.Contains(l, "</table>"):
			cols = nil
		case strings.Contains(l, "<tr><th>"):
			cols = map[int]bool{}
			for j, m := range thRE.FindAllStringSubmatch(l, -1) {
				if volatileColumn(m[1]) {
					cols[j] = true
				}
			}
		case len(cols) > 0 && strings.Contains(l, "<tr><td>"):
			j := -1
			lines[i] = tdRE.ReplaceAllStringFunc(l, func(cell string) string {
				j++
				if !cols[j] {
					return cell
				}
				m := tdRE.FindStringSubmatch(cell)
				masked, k := maskCell(m[2])
				n += k
				return m[1] + masked + m[3]
			})
		}
	}
	return []byte(strings.Join(lines, "\n")), n
}
