package needdisplay

import "syscall"

// Args returns the command line without the program name, read from
// /proc/self/cmdline: package os (and its os.Args) is not initialized yet
// when the guard runs, and this package may depend on syscall only.
func Args() []string {
	fd, err := syscall.Open("/proc/self/cmdline", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	defer syscall.Close(fd)
	var buf []byte
	chunk := make([]byte, 4096)
	for len(buf) < 1<<20 {
		n, err := syscall.Read(fd, chunk)
		if n <= 0 || err != nil {
			break
		}
		buf = append(buf, chunk[:n]...)
	}
	var args []string
	start := 0
	for i, c := range buf {
		if c == 0 {
			args = append(args, string(buf[start:i]))
			start = i + 1
		}
	}
	if len(args) == 0 {
		return nil
	}
	return args[1:]
}
