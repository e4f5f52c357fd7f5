package attention

import "golang.org/x/sys/cpu"

// hasKernel says whether the AVX2/FMA score kernel can run here.
var hasKernel = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func sdot4x16(k int, a, b, c *float32, ldc int)
