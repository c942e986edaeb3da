// Package docs holds the project's own documentation (the Markdown files
// beside this one). Its only Go code is this test, which keeps the links
// into those files from dangling: every code comment that cites one of
// them (or another Markdown file of the repository) by its path, with or
// without an #anchor, and every relative link in the Markdown files, must
// name a file that exists and a heading that is in it.
package docs

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top directory, seen from this package's.
const root = ".."

// skipDirs are build outputs, caches and test fixtures, not sources:
// build/ also holds a copy of a third-party module whose comments are not
// ours to check.
var skipDirs = map[string]bool{"build": true, "bin": true, "out": true, "submit": true, "node_modules": true, "testdata": true}

// citation is a repository path to a Markdown file (docs/numerics.md,
// golden/nn/README.md) with an optional #anchor, as comments write it. Only
// paths whose first directory exists at the top of the repository count;
// a bare file name may be anything. An anchor never ends in '.': GitHub
// drops the dot from headings, so a trailing one is the sentence's.
var citation = regexp.MustCompile(`(?:^|[^\w./-])((?:[\w.-]+/)+[\w.-]+?\.md)(?:#([\p{L}\p{M}\p{N}_-]+))?`)

// mdLink is an inline Markdown link or image: [text](target "title").
var mdLink = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)`)

// sources returns the repository's files whose names end in ext, outside
// skipDirs and hidden directories.
func sources(t *testing.T, ext string) []string {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (strings.HasPrefix(d.Name(), ".") || skipDirs[d.Name()]) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ext) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestCodeCitations(t *testing.T) {
	anchors := newAnchorCache()
	n := 0
	for _, path := range sources(t, ".go") {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				for _, m := range citation.FindAllStringSubmatch(c.Text, -1) {
					top, _, _ := strings.Cut(m[1], "/")
					if fi, err := os.Stat(filepath.Join(root, top)); err != nil || !fi.IsDir() || skipDirs[top] {
						continue
					}
					n++
					target := filepath.Join(root, filepath.FromSlash(m[1]))
					if msg := anchors.check(target, m[2]); msg != "" {
						t.Errorf("%s: %s: %s", fset.Position(c.Pos()), strings.TrimSpace(m[0]), msg)
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("found no citation of a Markdown file in any comment: is the walk broken?")
	}
	t.Logf("%d citations checked", n)
}

func TestMarkdownLinks(t *testing.T) {
	files := sources(t, ".md")
	anchors := newAnchorCache()
	n := 0
	for _, file := range files {
		lines, err := proseLines(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range lines {
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				dest := m[1]
				if strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:") {
					continue
				}
				n++
				path, anchor, _ := strings.Cut(dest, "#")
				target := file
				if path != "" {
					target = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
				}
				if msg := anchors.check(target, anchor); msg != "" {
					t.Errorf("%s:%d: link %s: %s", file, i+1, dest, msg)
				}
			}
		}
	}
	t.Logf("%d relative links checked in %d files", n, len(files))
}

// anchorCache holds the anchors of each Markdown file read so far.
type anchorCache map[string]map[string]bool

func newAnchorCache() anchorCache { return anchorCache{} }

// check returns why target#anchor does not resolve, or "".
func (c anchorCache) check(target, anchor string) string {
	fi, err := os.Stat(target)
	if err != nil {
		return "no such file"
	}
	if anchor == "" {
		return ""
	}
	if fi.IsDir() || !strings.HasSuffix(target, ".md") {
		return "an anchor into a file that is not Markdown"
	}
	set, ok := c[target]
	if !ok {
		lines, err := proseLines(target)
		if err != nil {
			return err.Error()
		}
		set = anchorsOf(lines)
		c[target] = set
	}
	if !set[anchor] {
		return fmt.Sprintf("no heading with anchor #%s in %s", anchor, filepath.Base(target))
	}
	return ""
}

// proseLines returns the lines of a Markdown file with fenced code blocks
// blanked out (a '#' line in a shell example is not a heading, and a link
// in code is not a link), keeping line numbers.
func proseLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	fence := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			line = ""
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			line = ""
		}
		lines = append(lines, line)
	}
	return lines, sc.Err()
}

var (
	atxHeading  = regexp.MustCompile(`^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	setextRule  = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	htmlAnchor  = regexp.MustCompile(`<a\s+(?:name|id)="([^"]+)"`)
	inlineLink  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	orderedItem = regexp.MustCompile(`^\d+[.)]\s`)
)

// anchorsOf lists the anchors GitHub gives a Markdown file's headings:
// the heading's text as rendered, lower-cased, with everything but
// letters, marks, digits, connector punctuation (such as '_'), spaces and
// hyphens removed, and each space made a hyphen; a repeated anchor gets
// -1, -2, ... in order. Explicit <a name> and <a id> anchors count too.
// See https://github.com/gjtorikian/html-pipeline (TableOfContentsFilter),
// which github.com uses.
func anchorsOf(lines []string) map[string]bool {
	set := map[string]bool{}
	seen := map[string]int{}
	add := func(text string) {
		slug := slugify(text)
		if k := seen[slug]; k > 0 {
			seen[slug]++
			slug = fmt.Sprintf("%s-%d", slug, k)
		} else {
			seen[slug] = 1
		}
		set[slug] = true
	}
	for i, line := range lines {
		for _, m := range htmlAnchor.FindAllStringSubmatch(line, -1) {
			set[m[1]] = true
		}
		if m := atxHeading.FindStringSubmatch(line); m != nil {
			add(m[1])
			continue
		}
		// A setext heading: a paragraph line underlined with = or -.
		if i > 0 && setextRule.MatchString(line) && isParagraphLine(lines[i-1]) {
			add(strings.TrimSpace(lines[i-1]))
		}
	}
	return set
}

// isParagraphLine reports whether a line can be the text of a setext
// heading (and not a table row, list item, quote or another heading).
func isParagraphLine(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" || len(s)-len(strings.TrimLeft(s, " ")) > 3 {
		return false
	}
	for _, p := range []string{"|", "-", "*", "+", ">", "#"} {
		if strings.HasPrefix(t, p) {
			return false
		}
	}
	return !orderedItem.MatchString(t)
}

// slugify turns a heading's Markdown source into its anchor.
func slugify(text string) string {
	text = inlineLink.ReplaceAllString(text, "$1")
	text = strings.NewReplacer("`", "", "*", "").Replace(text)
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsNumber(r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Torch save zip":                   "torch-save-zip",
		"`torch.save`'s zip":               "torchsaves-zip",
		"Problem 3: neural networks":       "problem-3-neural-networks",
		"The gamma='auto' pitfall":         "the-gammaauto-pitfall",
		"StandardScaler and PCA":           "standardscaler-and-pca",
		"[linked](x.md) __init__ and more": "linked-__init__-and-more",
		"A  double  space":                 "a--double--space",
		"Ünïcode heading":                  "ünïcode-heading",
	} {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
	got := anchorsOf([]string{"# Intro", "## Intro", "Setext", "======", "## Intro", "", "| a |", "|---|"})
	for _, want := range []string{"intro", "intro-1", "setext", "intro-2"} {
		if !got[want] {
			t.Errorf("anchors %v lack %q", got, want)
		}
	}
	if len(got) != 4 {
		t.Errorf("anchors %v, want only intro, intro-1, setext, intro-2", got)
	}
}

// TestCheck: the checker refuses what it should, so a pass above means
// something.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "a.md")
	src := "# Title\n\n```sh\n# not a heading\n```\n\n## Two words\n"
	if err := os.WriteFile(md, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newAnchorCache()
	for _, tc := range []struct {
		target, anchor string
		ok             bool
	}{
		{md, "", true},
		{md, "title", true},
		{md, "two-words", true},
		{md, "not-a-heading", false},
		{md, "Title", false},
		{filepath.Join(dir, "b.md"), "", false},
		{dir, "title", false},
	} {
		if msg := c.check(tc.target, tc.anchor); (msg == "") != tc.ok {
			t.Errorf("check(%s, %q) = %q, want ok %v", filepath.Base(tc.target), tc.anchor, msg, tc.ok)
		}
	}
}
