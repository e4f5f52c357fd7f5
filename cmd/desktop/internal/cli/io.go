package cli

import (
	"fmt"
	"net/url"
	"os"
	"strings"
)

// checkIO checks the tensor and export flags before anything starts: -q
// and -k go together (-v needs them), the files exist (their contents are
// checked when read, with hsrattn's rules), and -export-dir is a
// directory that takes a new file.
func checkIO(o *Options) error {
	switch {
	case (o.Q == "") != (o.K == ""):
		return fmt.Errorf("flags -q and -k go together (Q is m×d, K is n×d; -v is optional)")
	case o.V != "" && o.Q == "":
		return fmt.Errorf("flag -v needs -q and -k")
	}
	for _, f := range []struct{ name, path string }{{"q", o.Q}, {"k", o.K}, {"v", o.V}} {
		if f.path == "" {
			continue
		}
		st, err := os.Stat(f.path)
		if err != nil {
			return fmt.Errorf("flag -%s: %v", f.name, err)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("flag -%s: %s is not a regular file", f.name, f.path)
		}
	}
	if o.ExportDir == "" {
		return nil // the current directory, checked when the export writes
	}
	st, err := os.Stat(o.ExportDir)
	if err != nil {
		return fmt.Errorf("flag -export-dir: %v", err)
	}
	if !st.IsDir() {
		return fmt.Errorf("flag -export-dir: %s is not a directory", o.ExportDir)
	}
	f, err := os.CreateTemp(o.ExportDir, ".hsrviz-check-*")
	if err != nil {
		return fmt.Errorf("flag -export-dir: cannot write in %s: %v", o.ExportDir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// dropFileFields removes from a link's hash the fields that -q/-k files
// give (data, n, d, m, query): the link of a custom picture names
// data=custom, which only the files can reproduce, so with the same files
// and the link the desktop shows the same picture.
func dropFileFields(h string) string {
	var keep []string
	for _, part := range strings.Split(h, "&") {
		k, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(k); err == nil {
			switch k {
			case "data", "n", "d", "m", "query":
				continue
			}
		}
		keep = append(keep, part)
	}
	return strings.Join(keep, "&")
}
