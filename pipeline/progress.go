package pipeline

import "time"

// EventType says what happened to a stage.
type EventType int

// The events a Runner reports, in the order a stage can see them.
const (
	// EventStart: the stage is about to run; Reasons says why.
	EventStart EventType = iota
	// EventProgress: the stage called Env.Progress (Frac, Msg).
	EventProgress
	// EventDone: the stage succeeded and its outputs and lock entry are
	// in place; Duration is its run time.
	EventDone
	// EventSkip: the stage is fresh and was not run.
	EventSkip
	// EventFail: the stage failed with Err after Duration.
	EventFail
	// EventCancel: the run was cancelled before or while the stage ran.
	EventCancel
	// EventBlocked: the stage did not run because Upstream failed or was
	// cancelled.
	EventBlocked
	// EventWait: before any stage, the run waits for another run on the
	// same outdir (Runner.Wait); Err is the *BusyError naming it, Stage
	// is empty.
	EventWait
)

var eventNames = [...]string{"start", "progress", "done", "skip", "fail", "cancel", "blocked", "wait"}

func (t EventType) String() string {
	if int(t) < len(eventNames) {
		return eventNames[t]
	}
	return "unknown"
}

// Event is one report from a Runner to its Observer.
type Event struct {
	Type  EventType
	Stage string
	Time  time.Time
	// Reasons (EventStart) says why the stage runs.
	Reasons []string
	// Frac and Msg (EventProgress) are what the stage reported; Frac is
	// in [0,1] or negative when unknown.
	Frac float64
	Msg  string
	// Duration (EventDone, EventFail) is the stage's run time.
	Duration time.Duration
	// Err (EventFail, EventCancel) is the stage's error; (EventWait) the
	// *BusyError the run waits on.
	Err error
	// Upstream (EventBlocked) is the stage that failed.
	Upstream string
}

// Observer receives a Runner's events. Observe is called from several
// goroutines at once and must be safe for that; it should return quickly,
// throttling its own output.
type Observer interface {
	Observe(Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(Event)

// Observe calls f(e).
func (f ObserverFunc) Observe(e Event) { f(e) }

// stageReporter turns a stage's Progress calls into events.
type stageReporter struct {
	obs   Observer
	stage string
}

func (r stageReporter) Progress(frac float64, msg string) {
	r.obs.Observe(Event{Type: EventProgress, Stage: r.stage, Time: time.Now(), Frac: frac, Msg: msg})
}
