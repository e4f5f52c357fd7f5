package main

import "github.com/hsrviz/hsrviz/hsr"

// engineContenders lists the hsr indexes other than the scan. It is the one
// place that names the engine's index constructors.
func engineContenders() []maker {
	return []maker{
		{"tree", func(d int, p []float64) hsr.Index { return hsr.NewTree(d, p, hsr.TreeOptions{}) }},
	}
}

// decodeContenders are the attention package's HSR decoding paths.
func decodeContenders() []attnImpl { return nil }

// prefillContenders are the attention package's HSR prefilling paths.
func prefillContenders() []attnImpl { return nil }
