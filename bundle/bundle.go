package bundle

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"hw1pipe/internal/atomicfile"
	"hw1pipe/pipeline"
	"hw1pipe/verify"
)

// ManifestName is the manifest's file name in the submission folder.
const ManifestName = "MANIFEST.json"

// ReportDir is the folder, under the submission folder, that receives
// the report stages' outputs.
const ReportDir = "report"

// LatexDir is the folder, under ReportDir, that receives the outputs of
// the LaTeX pack's stages.
const LatexDir = "latex"

// PDFName is the printed report's name in ReportDir.
const PDFName = "report.pdf"

// zipTime is the fixed modification time of every zip entry: the
// earliest time a zip (MS-DOS) timestamp holds.
var zipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Options tune Write. A nil *Options means the zero value.
type Options struct {
	// Out is the submission folder. Default "submit".
	Out string
	// ReportKind is the kind whose stages' outputs go to <Out>/report.
	// Default "report".
	ReportKind string
	// LatexKind is the kind whose stages' outputs go to
	// <Out>/report/latex. Default "latex".
	LatexKind string
	// PrintPDF, when not nil, prints the report page (the report stage's
	// "html" output, at path) to PDF; Write saves it as
	// <Out>/report/report.pdf. It is called only when the page differs
	// from the one the last Write printed (by the previous manifest's
	// sha256 of both files), since a browser takes seconds.
	PrintPDF func(ctx context.Context, path string) ([]byte, error)
	// Describe returns the code version for the manifest. Nil means
	// `git describe --always --dirty` run in dir (the pipeline's
	// directory); "" when git fails.
	Describe func(ctx context.Context, dir string) string
}

// StaleError reports stages that are not up to date.
type StaleError struct {
	Stages []StaleStage
}

// StaleStage is a stale stage and why.
type StaleStage struct {
	Name    string
	Reasons []string
}

func (e *StaleError) Error() string {
	var parts []string
	for _, s := range e.Stages {
		parts = append(parts, fmt.Sprintf("%s (%s)", s.Name, strings.Join(s.Reasons, "; ")))
	}
	return "bundle: stale stages, run `hw1pipe run` first: " + strings.Join(parts, ", ")
}

// conflictError reports two outputs that would land on one file.
type conflictError struct {
	Path   string // in the submission folder
	Stages []string
}

func (e *conflictError) Error() string {
	return fmt.Sprintf("bundle: %s is produced by several outputs: %s", e.Path, strings.Join(e.Stages, ", "))
}

// Manifest is MANIFEST.json.
type Manifest struct {
	// Format is the manifest's format version, 1.
	Format int  `json:"format"`
	Code   Code `json:"code"`
	// Files are sorted by path.
	Files []File `json:"files"`
	// Missing are deliverables no stage produces, as verify names them.
	Missing []string `json:"missing,omitempty"`
	// Stages is keyed by stage name.
	Stages map[string]Stage `json:"stages"`
}

// Code names the code that made the files.
type Code struct {
	// Git is `git describe --always --dirty`, or "" when unknown.
	Git string `json:"git"`
	// Kinds maps each kind used by the pipeline to its Version.
	Kinds map[string]string `json:"kinds"`
}

// File is one file of the submission folder.
type File struct {
	// Path is slash-separated, relative to the submission folder.
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// Stage and Output name where the file came from; empty for zips.
	Stage  string `json:"stage,omitempty"`
	Output string `json:"output,omitempty"`
}

// Stage is what the lock file says about a stage's last run.
type Stage struct {
	Kind        string          `json:"kind"`
	KindVersion string          `json:"kind_version"`
	Params      pipeline.Params `json:"params"`
	DurationMS  int64           `json:"duration_ms"`
	Finished    time.Time       `json:"finished"`
}

// Result is what Write did.
type Result struct {
	// Out is the submission folder.
	Out      string
	Manifest *Manifest
	// Deliverables are the deliverables found, in verify.Deliverables
	// order.
	Deliverables []File
	// Missing are deliverables no stage produces ("problem3/linear.h5").
	Missing []string
	// PDF is "printed" when PrintPDF ran, "kept" when the page had not
	// changed since the last print, "" when there is no PDF.
	PDF string
	// Written are the files whose bytes changed; Removed the entries
	// deleted from the folders Write owns. Both slash-separated, relative
	// to Out.
	Written, Removed []string
}

// source is one file to place in the submission folder.
type source struct {
	rel    string // in the submission folder
	from   string // absolute path of the stage output
	stage  string
	output string
	kind   string
}

// Write assembles the submission folder from p's outputs; see the package
// doc. p must be loaded with the kinds that wrote its lock file.
func Write(ctx context.Context, p *pipeline.Pipeline, opt *Options) (*Result, error) {
	o := withDefaults(opt)
	if err := checkFresh(p); err != nil {
		return nil, err
	}
	lock, err := p.ReadLock()
	if err != nil {
		return nil, err
	}
	srcs, missing, err := collect(p, o.ReportKind, o.LatexKind)
	if err != nil {
		return nil, err
	}
	res := &Result{Out: o.Out, Missing: missing}
	m := newManifest(ctx, p, lock, &o, missing)
	files := map[string][]byte{} // rel -> content
	for _, s := range srcs {
		b, err := os.ReadFile(s.from)
		if err != nil {
			return nil, fmt.Errorf("bundle: %w", err)
		}
		files[s.rel] = b
		f := describe(s.rel, b)
		f.Stage, f.Output = s.stage, s.output
		m.Files = append(m.Files, f)
	}
	res.Deliverables = deliverables(files, m.Files)
	if err := addPDF(ctx, &o, srcs, files, m, res); err != nil {
		return nil, err
	}
	for _, a := range verify.Assignments() {
		z, err := zipOf(files, a)
		if err != nil {
			return nil, err
		}
		files[a+".zip"] = z
		m.Files = append(m.Files, describe(a+".zip", z))
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("bundle: manifest: %w", err)
	}
	files[ManifestName] = append(mb, '\n')
	res.Manifest = m
	if err := writeFolder(o.Out, files, res); err != nil {
		return nil, err
	}
	return res, nil
}

// withDefaults returns a copy of opt (nil means all defaults) with every
// empty field set to its documented default.
func withDefaults(opt *Options) Options {
	var o Options
	if opt != nil {
		o = *opt
	}
	if o.Out == "" {
		o.Out = "submit"
	}
	if o.ReportKind == "" {
		o.ReportKind = "report"
	}
	if o.LatexKind == "" {
		o.LatexKind = "latex"
	}
	if o.Describe == nil {
		o.Describe = gitDescribe
	}
	return o
}

// checkFresh returns a *StaleError naming every stage that is not fresh.
func checkFresh(p *pipeline.Pipeline) error {
	st, err := p.Status(nil)
	if err != nil {
		return err
	}
	var stale StaleError
	for _, s := range st {
		if !s.Fresh {
			stale.Stages = append(stale.Stages, StaleStage{Name: s.Stage.Name, Reasons: s.Reasons})
		}
	}
	if len(stale.Stages) > 0 {
		return &stale
	}
	return nil
}

// newManifest starts the manifest: the code that ran and each stage's
// last run from the lock file; Files is filled by the caller.
func newManifest(ctx context.Context, p *pipeline.Pipeline, lock *pipeline.Lock, o *Options, missing []string) *Manifest {
	m := &Manifest{Format: 1, Missing: missing, Stages: map[string]Stage{},
		Code: Code{Git: o.Describe(ctx, p.Dir), Kinds: map[string]string{}}}
	for _, s := range p.Stages {
		m.Code.Kinds[s.Kind.Name] = s.Kind.Version
		if e := lock.Stages[s.Name]; e != nil {
			m.Stages[s.Name] = Stage{Kind: e.Kind, KindVersion: e.KindVersion, Params: e.Params,
				DurationMS: e.DurationMS, Finished: e.Finished}
		}
	}
	return m
}

// deliverables lists the manifest entries of the deliverables present in
// files, in verify.Deliverables order.
func deliverables(files map[string][]byte, described []File) []File {
	var out []File
	for _, d := range verify.Deliverables() {
		if b, ok := files[d.Path()]; ok {
			f := describe(d.Path(), b)
			for _, mf := range described {
				if mf.Path == d.Path() {
					f = mf
				}
			}
			out = append(out, f)
		}
	}
	return out
}

// addPDF prints the report's page, when o.PrintPDF is set, into files and
// the manifest.
func addPDF(ctx context.Context, o *Options, srcs []source, files map[string][]byte, m *Manifest, res *Result) error {
	if o.PrintPDF == nil {
		return nil
	}
	for _, s := range srcs {
		if s.kind != o.ReportKind || s.output != "html" {
			continue
		}
		pdf, how, err := reportPDF(ctx, o, s, files[s.rel])
		if err != nil {
			return err
		}
		rel := ReportDir + "/" + PDFName
		if _, dup := files[rel]; dup {
			return &conflictError{Path: rel, Stages: []string{s.stage + "." + s.output + " (printed)", "a stage output"}}
		}
		files[rel], res.PDF = pdf, how
		m.Files = append(m.Files, describe(rel, pdf))
		return nil
	}
	return nil
}

// writeFolder makes out hold exactly files in the folders Write owns:
// strays removed first, then every file whose bytes changed, the
// manifest last (it describes the rest).
func writeFolder(out string, files map[string][]byte, res *Result) error {
	owned := append(verify.Assignments(), ReportDir)
	for _, d := range owned {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
	}
	// Remove strays first so that the folder never holds an extra file
	// once the new ones are in.
	for _, d := range owned {
		if err := prune(out, d, files, &res.Removed); err != nil {
			return err
		}
	}
	rels := make([]string, 0, len(files))
	for rel := range files {
		if rel != ManifestName {
			rels = append(rels, rel)
		}
	}
	sort.Strings(rels)
	rels = append(rels, ManifestName)
	for _, rel := range rels {
		if dir := path.Dir(rel); dir != "." {
			if err := os.MkdirAll(filepath.Join(out, filepath.FromSlash(dir)), 0o755); err != nil {
				return fmt.Errorf("bundle: %w", err)
			}
		}
		changed, err := writeIfChanged(filepath.Join(out, filepath.FromSlash(rel)), files[rel])
		if err != nil {
			return err
		}
		if changed {
			res.Written = append(res.Written, rel)
		}
	}
	return nil
}

// prune removes the entries of the folder rel (under out) that files
// does not hold, descending into folders that hold some of them.
func prune(out, rel string, files map[string][]byte, removed *[]string) error {
	ents, err := os.ReadDir(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	for _, e := range ents {
		r := rel + "/" + e.Name()
		if _, keep := files[r]; keep && !e.IsDir() {
			continue
		}
		if e.IsDir() && holdsUnder(files, r) {
			if err := prune(out, r, files, removed); err != nil {
				return err
			}
			continue
		}
		if err := os.RemoveAll(filepath.Join(out, filepath.FromSlash(r))); err != nil {
			return fmt.Errorf("bundle: %w", err)
		}
		*removed = append(*removed, r)
	}
	return nil
}

func holdsUnder(files map[string][]byte, dir string) bool {
	for rel := range files {
		if strings.HasPrefix(rel, dir+"/") {
			return true
		}
	}
	return false
}

// reportPDF returns the printed report page: the PDF already in the
// submission folder when the previous manifest shows it was printed from
// this very page (and it is intact), else a new print.
func reportPDF(ctx context.Context, o *Options, html source, page []byte) ([]byte, string, error) {
	rel := ReportDir + "/" + PDFName
	if prev, err := os.ReadFile(filepath.Join(o.Out, ManifestName)); err == nil {
		var old Manifest
		if json.Unmarshal(prev, &old) == nil {
			sums := map[string]string{}
			for _, f := range old.Files {
				sums[f.Path] = f.SHA256
			}
			if sums[html.rel] == describe(html.rel, page).SHA256 && sums[rel] != "" {
				if b, err := os.ReadFile(filepath.Join(o.Out, filepath.FromSlash(rel))); err == nil && describe(rel, b).SHA256 == sums[rel] {
					return b, "kept", nil
				}
			}
		}
	}
	b, err := o.PrintPDF(ctx, html.from)
	if err != nil {
		return nil, "", fmt.Errorf("bundle: %s: %w", rel, err)
	}
	return b, "printed", nil
}

// collect finds the deliverables (the outputs their kinds declare as
// such) and report files among p's outputs.
func collect(p *pipeline.Pipeline, reportKind, latexKind string) (srcs []source, missing []string, err error) {
	known := map[string]bool{}
	for _, d := range verify.Deliverables() {
		known[d.Path()] = true
	}
	byRel := map[string][]source{}
	for _, s := range p.Stages {
		for _, out := range s.Outputs {
			base := filepath.Base(out.Path)
			src := source{from: out.Path, stage: s.Name, output: out.Key, kind: s.Kind.Name}
			role := s.Kind.Deliverables[out.Key]
			switch {
			case role != "" && !known[role]:
				return nil, nil, fmt.Errorf("bundle: kind %s declares output %s as %s, which is not a deliverable", s.Kind.Name, out.Key, role)
			case role != "":
				src.rel = role
			case s.Kind.Name == reportKind:
				src.rel = ReportDir + "/" + base
			case s.Kind.Name == latexKind:
				src.rel = ReportDir + "/" + LatexDir + "/" + base
			default:
				continue
			}
			byRel[src.rel] = append(byRel[src.rel], src)
		}
	}
	rels := make([]string, 0, len(byRel))
	for rel := range byRel {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	for _, rel := range rels {
		ss := byRel[rel]
		if len(ss) > 1 {
			ce := &conflictError{Path: rel}
			for _, s := range ss {
				ce.Stages = append(ce.Stages, s.stage+"."+s.output)
			}
			return nil, nil, ce
		}
		srcs = append(srcs, ss[0])
	}
	for _, d := range verify.Deliverables() {
		if len(byRel[d.Path()]) == 0 {
			missing = append(missing, d.Path())
		}
	}
	return srcs, missing, nil
}

func describe(rel string, b []byte) File {
	h := sha256.Sum256(b)
	return File{Path: rel, Size: int64(len(b)), SHA256: hex.EncodeToString(h[:])}
}

// zipOf builds the assignment's zip from the files under assignment/:
// entries at the root, sorted, with a fixed time and mode.
func zipOf(files map[string][]byte, assignment string) ([]byte, error) {
	var names []string
	for rel := range files {
		if dir, name, ok := strings.Cut(rel, "/"); ok && dir == assignment {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		fh := &zip.FileHeader{Name: n, Method: zip.Deflate, Modified: zipTime}
		fh.SetMode(0o644)
		w, err := zw.CreateHeader(fh)
		if err != nil {
			return nil, fmt.Errorf("bundle: zip %s: %w", assignment, err)
		}
		if _, err := w.Write(files[assignment+"/"+n]); err != nil {
			return nil, fmt.Errorf("bundle: zip %s: %w", assignment, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("bundle: zip %s: %w", assignment, err)
	}
	return buf.Bytes(), nil
}

// writeIfChanged writes b to path through a temporary file and a rename,
// unless path already holds exactly b.
func writeIfChanged(path string, b []byte) (changed bool, err error) {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("bundle: %w", err)
	}
	if err := atomicfile.WriteBytes(path, b); err != nil {
		return false, fmt.Errorf("bundle: %w", err)
	}
	return true, nil
}

// gitDescribe is `git describe --always --dirty` in dir, or "".
func gitDescribe(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "describe", "--always", "--dirty")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}
