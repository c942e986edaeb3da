package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"hw1pipe/pipeline"
)

const (
	// plainEvery is the least time between two progress lines of one
	// stage in plain (CI log) mode.
	plainEvery = 10 * time.Second
	// redrawEvery is the least time between two redraws of the live
	// lines on a terminal.
	redrawEvery = 100 * time.Millisecond
	barWidth    = 20
)

// display shows a run's events. On a terminal it keeps one live line per
// running stage, with a progress bar, below the log of finished stages;
// elsewhere it writes plain timestamped lines and throttles progress. It
// is a pipeline.Observer, safe for concurrent use.
type display struct {
	w     io.Writer
	tty   bool
	width int
	now   func() time.Time

	mu        sync.Mutex
	live      []*liveStage // running stages, in start order
	drawn     int          // live lines on screen (tty)
	lastDraw  time.Time
	lastPlain map[string]time.Time
}

type liveStage struct {
	name    string
	started time.Time
	frac    float64
	msg     string
}

func newDisplay(w io.Writer, tty bool, width int, now func() time.Time) *display {
	if width <= 0 {
		width = 80
	}
	return &display{w: w, tty: tty, width: width, now: now, lastPlain: map[string]time.Time{}}
}

// Observe implements pipeline.Observer.
func (d *display) Observe(e pipeline.Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	var line string
	switch e.Type {
	case pipeline.EventStart:
		d.live = append(d.live, &liveStage{name: e.Stage, started: now, frac: -1})
		line = fmt.Sprintf("start   %s (%s)", e.Stage, strings.Join(e.Reasons, "; "))
	case pipeline.EventProgress:
		ls := d.find(e.Stage)
		if ls == nil {
			return
		}
		ls.frac, ls.msg = e.Frac, e.Msg
		if d.tty {
			if now.Sub(d.lastDraw) >= redrawEvery {
				d.redraw(nil, now)
			}
			return
		}
		if last, ok := d.lastPlain[e.Stage]; ok && now.Sub(last) < plainEvery {
			return
		}
		d.lastPlain[e.Stage] = now
		fmt.Fprintf(d.w, "%s %-7s %s %s %s\n", stamp(now), "", e.Stage, percent(e.Frac), e.Msg)
		return
	case pipeline.EventDone:
		line = fmt.Sprintf("done    %s in %s", e.Stage, round(e.Duration))
		// A stage's last message is usually its result ("validation
		// accuracy 0.9655"); throttling must not hide it from a CI log.
		if ls := d.find(e.Stage); ls != nil && ls.msg != "" {
			line += ": " + ls.msg
		}
		d.remove(e.Stage)
	case pipeline.EventSkip:
		line = fmt.Sprintf("fresh   %s", e.Stage)
	case pipeline.EventFail:
		d.remove(e.Stage)
		line = fmt.Sprintf("FAILED  %s after %s: %v", e.Stage, round(e.Duration), stageCause(e.Err))
	case pipeline.EventCancel:
		d.remove(e.Stage)
		line = fmt.Sprintf("stopped %s after %s", e.Stage, round(e.Duration))
	case pipeline.EventBlocked:
		line = fmt.Sprintf("blocked %s (upstream %s did not finish)", e.Stage, e.Upstream)
	case pipeline.EventWait:
		line = fmt.Sprintf("waiting: %v", e.Err)
	default:
		return
	}
	if d.tty {
		d.redraw([]string{line}, now)
	} else {
		fmt.Fprintf(d.w, "%s %s\n", stamp(now), line)
	}
}

// close erases the live lines; call it when the run is over.
func (d *display) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tty {
		d.live = nil
		d.redraw(nil, d.now())
	}
}

func (d *display) find(stage string) *liveStage {
	for _, ls := range d.live {
		if ls.name == stage {
			return ls
		}
	}
	return nil
}

func (d *display) remove(stage string) {
	for i, ls := range d.live {
		if ls.name == stage {
			d.live = append(d.live[:i], d.live[i+1:]...)
			return
		}
	}
}

// redraw moves the cursor up over the live lines, clears to the end of the
// screen, prints the new log lines and then the live lines again.
func (d *display) redraw(log []string, now time.Time) {
	var b strings.Builder
	if d.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dF\x1b[J", d.drawn)
	}
	for _, l := range log {
		fmt.Fprintf(&b, "%s %s\n", stamp(now), l)
	}
	for _, ls := range d.live {
		b.WriteString(d.clip(liveLine(ls, now)))
		b.WriteByte('\n')
	}
	d.drawn = len(d.live)
	d.lastDraw = now
	io.WriteString(d.w, b.String())
}

// clip cuts s to the terminal width so that no line wraps (wrapping would
// break the count of lines to move up over).
func (d *display) clip(s string) string {
	r := []rune(s)
	if len(r) >= d.width {
		return string(r[:d.width-1])
	}
	return s
}

// liveLine renders "  name  [#####.....]  42%  msg  12s".
func liveLine(ls *liveStage, now time.Time) string {
	bar := strings.Repeat("?", barWidth)
	if ls.frac >= 0 {
		n := int(min(ls.frac, 1) * barWidth)
		bar = strings.Repeat("#", n) + strings.Repeat(".", barWidth-n)
	}
	return fmt.Sprintf("  %-16s [%s] %s %s  %s", ls.name, bar, percent(ls.frac), round(now.Sub(ls.started)), ls.msg)
}

// stageCause drops the runner's `stage "name": ` wrapper, which the log
// line already says.
func stageCause(err error) error {
	var se *pipeline.StageError
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}

func percent(frac float64) string {
	if frac < 0 {
		return "   ?"
	}
	return fmt.Sprintf("%3.0f%%", 100*min(frac, 1))
}

func stamp(t time.Time) string { return t.Format("15:04:05") }

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
