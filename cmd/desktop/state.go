package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/hsrviz/hsrviz/viz"
)

// stateWriter writes the app's snapshot as JSON whenever it changes,
// atomically (temp file + rename), so a reader never sees half a file.
// Frame statistics change every frame and do not count as a change.
type stateWriter struct {
	path string
	last []byte
}

func (w *stateWriter) write(s viz.Snapshot) error {
	frame := s.Frame
	s.Frame = viz.FrameStats{}
	key, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if bytes.Equal(key, w.last) {
		return nil
	}
	s.Frame = frame
	data, err := json.MarshalIndent(s, "", "  ")
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
