package report

import (
	"strings"
)

// markdown renders the small Markdown subset the stages write: # headings,
// pipe tables (the second row is the separator), **bold** spans and
// paragraphs. Everything else is shown as text; all text is escaped.
func markdown(src string) string {
	var b strings.Builder
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	for i := 0; i < len(lines); i++ {
		ln := strings.TrimSpace(lines[i])
		switch {
		case ln == "":
			flush()
		case strings.HasPrefix(ln, "#"):
			flush()
			level := len(ln) - len(strings.TrimLeft(ln, "#"))
			tag := "h3"
			if level > 1 {
				tag = "h4"
			}
			b.WriteString("<" + tag + ">" + inline(strings.TrimSpace(ln[level:])) + "</" + tag + ">\n")
		case strings.HasPrefix(ln, "|"):
			flush()
			var rows []string
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				rows = append(rows, strings.TrimSpace(lines[i]))
			}
			i--
			b.WriteString(table(rows))
		default:
			para = append(para, ln)
		}
	}
	flush()
	return b.String()
}

func cells(row string) []string {
	row = strings.TrimSuffix(strings.TrimPrefix(row, "|"), "|")
	parts := strings.Split(row, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func isSeparator(row string) bool {
	for _, c := range cells(row) {
		if strings.Trim(c, ":-") != "" || c == "" {
			return false
		}
	}
	return true
}

func table(rows []string) string {
	var b strings.Builder
	b.WriteString("<table class=\"md\">\n")
	for i, r := range rows {
		if i == 1 && isSeparator(r) {
			continue
		}
		tag := "td"
		if i == 0 && len(rows) > 1 && isSeparator(rows[1]) {
			tag = "th"
		}
		b.WriteString("<tr>")
		for _, c := range cells(r) {
			b.WriteString("<" + tag + ">" + inline(c) + "</" + tag + ">")
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
	return b.String()
}

// inline escapes s and turns **x** into <strong>x</strong>.
func inline(s string) string {
	parts := strings.Split(s, "**")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString("<strong>" + esc(p) + "</strong>")
		} else {
			if i%2 == 1 {
				b.WriteString("**")
			}
			b.WriteString(esc(p))
		}
	}
	return b.String()
}
