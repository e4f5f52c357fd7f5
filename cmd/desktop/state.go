package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/hsrviz/hsrviz/viz"
)

// stateWriter writes the app's snapshot as JSON whenever it changes,
// atomically (temp file + rename), so a reader never sees half a file.
// Frame statistics change every frame and do not count as a change, but
// they are refreshed every half second while frames are drawn. Beside the
// snapshot's fields the file has "asleep": the app draws no frames until
// input (ebitenview.Game.Asleep).
type stateWriter struct {
	path    string
	last    []byte
	written time.Time
}

// state is the file's content.
type state struct {
	viz.Snapshot
	Asleep bool `json:"asleep"`
}

func (w *stateWriter) write(s viz.Snapshot, asleep bool) error {
	frame := s.Frame
	s.Frame = viz.FrameStats{}
	key, err := json.Marshal(state{s, asleep})
	if err != nil {
		return err
	}
	if bytes.Equal(key, w.last) && time.Since(w.written) < 500*time.Millisecond {
		return nil
	}
	s.Frame = frame
	w.written = time.Now()
	data, err := json.MarshalIndent(state{s, asleep}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(w.path), ".hsrviz-state-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), w.path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	w.last = key
	return nil
}
