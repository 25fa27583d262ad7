// BPF uapi constants newer than the headers Debian 12 ships (linux-libc-dev 6.1).
//
// Every constant the project needs beyond those headers is defined here, once,
// with the kernel release that added it. Whether the running kernel accepts it
// is a separate question, answered by runtime/probe.
#pragma once

#include <linux/bpf.h>

// BPF_STX | BPF_ATOMIC imm values for load-acquire and store-release,
// added in Linux 6.15 ("bpf: Introduce load-acquire and store-release instructions").
#ifndef BPF_LOAD_ACQ
#define BPF_LOAD_ACQ 0x100  // dst = smp_load_acquire(src + off)
#endif
#ifndef BPF_STORE_REL
#define BPF_STORE_REL 0x110  // smp_store_release(dst + off, src)
#endif

// BPF_LDX | BPF_MEMSX: sign-extending loads, added in Linux 6.6 (cpu v4).
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80
#endif

// BPF_JMP | BPF_JCOND with src_reg BPF_MAY_GOTO: the may_goto instruction,
// added in Linux 6.9.
#ifndef BPF_JCOND
#define BPF_JCOND 0xe0
#endif
#ifndef BPF_MAY_GOTO
#define BPF_MAY_GOTO 0
#endif
