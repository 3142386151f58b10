/*
 * Dropping privileges (Linux: libcap, seccomp).  See privs.h.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* setresuid, setresgid */
#endif
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && defined(HAVE_LIBCAP)
#include <sys/capability.h>
#include <sys/prctl.h>
#define PRIVS_LIBCAP 1
#endif

#ifdef HAVE_SECCOMP
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
/* The architecture parpd is built for, as the kernel names it in
 * seccomp_data.arch; a call made through another (int 0x80 on x86_64)
 * is killed, since its numbers mean other calls. */
#if defined(__x86_64__) && !defined(__ILP32__)
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__i386__)
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__aarch64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_RISCV64
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_PPC64LE
#elif defined(__s390x__)
#define PRIVS_AUDIT_ARCH AUDIT_ARCH_S390X
#endif
#ifdef PRIVS_AUDIT_ARCH
#define PRIVS_SECCOMP 1
#endif
/* Linux before 4.14 kills the thread; parpd has one. */
#ifndef SECCOMP_RET_KILL_PROCESS
#define SECCOMP_RET_KILL_PROCESS SECCOMP_RET_KILL
#endif
#endif

#include "privs.h"

int
privs_supported(void)
{
#ifdef PRIVS_LIBCAP
	return 1;
#else
	return 0;
#endif
}

int
privs_seccomp_supported(void)
{
#ifdef PRIVS_SECCOMP
	return 1;
#else
	return 0;
#endif
}

int
privs_user_lookup(struct privs_user *u, const char *name, const char *group,
    char *err, size_t errlen)
{
	struct passwd *pw;
	struct group *gr;

	memset(u, 0, sizeof(*u));
	/* getpwnam(3): NULL and one of these (or none) for "not found". */
	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(err, errlen, "user %s: %s", name, errno == 0 ||
		    errno == ENOENT || errno == ESRCH || errno == EBADF ||
		    errno == EPERM ? "no such user" : strerror(errno));
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	if (group != NULL) {
		errno = 0;
		if ((gr = getgrnam(group)) == NULL) {
			snprintf(err, errlen, "group %s: %s", group,
			    errno == 0 || errno == ENOENT || errno == ESRCH ||
			    errno == EBADF || errno == EPERM ?
			    "no such group" : strerror(errno));
			return -1;
		}
		u->gid = gr->gr_gid;
	}
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->change = u->uid != 0;
	return 0;
}

#ifdef PRIVS_SECCOMP
/*
 * A deny list, not an allow list: an allow list would kill parpd in the
 * field on the first call of glibc, libpcap or a sanitizer that was
 * missed.  These are the calls that turn a compromised parpd into more:
 * running programs, other processes' memory, mounts and namespaces,
 * kernel code and keys, the identity it dropped (after the drop nothing
 * changes uid or gid again), the clock, the machine's state.  parpd.8
 * (PRIVILEGES) lists them.
 */
static const unsigned privs_deny[] = {
	__NR_execve,
#ifdef __NR_execveat
	__NR_execveat,
#endif
	/* LeakSanitizer's check at exit attaches to the process with
	 * ptrace: sanitizer builds (tests only) keep it. */
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_LEAK__)
	__NR_ptrace,
#endif
	__NR_process_vm_readv, __NR_process_vm_writev,
#ifdef __NR_kcmp
	__NR_kcmp,
#endif
	__NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot,
#ifdef __NR_umount
	__NR_umount,
#endif
#ifdef __NR_open_tree
	__NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig,
	__NR_fsmount, __NR_fspick,
#endif
#ifdef __NR_mount_setattr
	__NR_mount_setattr,
#endif
	__NR_setns, __NR_unshare,
	__NR_kexec_load,
#ifdef __NR_kexec_file_load
	__NR_kexec_file_load,
#endif
	__NR_init_module, __NR_finit_module, __NR_delete_module,
	__NR_reboot, __NR_swapon, __NR_swapoff, __NR_acct, __NR_quotactl,
	__NR_bpf, __NR_perf_event_open, __NR_userfaultfd,
#ifdef __NR_io_uring_setup
	/* Its operations are not seen by seccomp. */
	__NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
#endif
	__NR_keyctl, __NR_add_key, __NR_request_key,
	__NR_open_by_handle_at, __NR_name_to_handle_at,
	__NR_setuid, __NR_setgid, __NR_setreuid, __NR_setregid,
	__NR_setresuid, __NR_setresgid, __NR_setgroups, __NR_setfsuid,
	__NR_setfsgid,
#ifdef __NR_setuid32
	__NR_setuid32, __NR_setgid32, __NR_setreuid32, __NR_setregid32,
	__NR_setresuid32, __NR_setresgid32, __NR_setgroups32,
	__NR_setfsuid32, __NR_setfsgid32,
#endif
	__NR_personality,
	__NR_settimeofday, __NR_clock_settime, __NR_adjtimex,
	__NR_clock_adjtime, __NR_sethostname, __NR_setdomainname,
	__NR_syslog, __NR_vhangup,
#ifdef __NR_iopl
	__NR_iopl, __NR_ioperm,
#endif
#ifdef __NR_uselib
	__NR_uselib,
#endif
};

#define PRIVS_NDENY (sizeof(privs_deny) / sizeof(privs_deny[0]))

int
privs_seccomp(char *err, size_t errlen)
{
	/* arch check (3), load nr (1), x32 check (1), the list, 2 returns */
	struct sock_filter f[PRIVS_NDENY + 7];
	struct sock_fprog prog;
	size_t i, n = 0;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    PRIVS_AUDIT_ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
#ifdef __x86_64__
	/* x32 calls share AUDIT_ARCH_X86_64 and are numbered from bit 30:
	 * parpd makes none, and each would be execve under another name. */
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    0x40000000u, (unsigned char)(PRIVS_NDENY + 1), 0);
#endif
	/* Entry i jumps over the entries after it and the allow. */
	for (i = 0; i < PRIVS_NDENY; i++)
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
		    BPF_K, privs_deny[i], (unsigned char)(PRIVS_NDENY - i), 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	prog.len = (unsigned short)n;
	prog.filter = f;
	/* Without CAP_SYS_ADMIN the kernel takes a filter only under
	 * no_new_privs. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
		snprintf(err, errlen, "seccomp filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}
#else
int
privs_seccomp(char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	return 0;
}
#endif

#ifdef PRIVS_LIBCAP
static const cap_value_t privs_keep[] = { CAP_NET_RAW, CAP_NET_ADMIN };

static int
privs_kept(cap_value_t c)
{
	size_t i;

	for (i = 0; i < sizeof(privs_keep) / sizeof(privs_keep[0]); i++)
		if (privs_keep[i] == c)
			return 1;
	return 0;
}

/*
 * setgroups to the one group, setgid, setuid, all three ids of each,
 * with the permitted set kept across the change (PR_SET_KEEPCAPS, which
 * is cleared again: a later change must not keep anything).
 */
static int
privs_become(const struct privs_user *u, char *err, size_t errlen)
{
	const char *step;

	step = "PR_SET_KEEPCAPS";
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		goto fail;
	step = "setgroups";
	if (setgroups(1, &u->gid) != 0)
		goto fail;
	step = "setresgid";
	if (setresgid(u->gid, u->gid, u->gid) != 0)
		goto fail;
	step = "setresuid";
	if (setresuid(u->uid, u->uid, u->uid) != 0)
		goto fail;
	step = "PR_SET_KEEPCAPS";
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "%s (user %s, uid %ld, gid %ld): %s", step,
	    u->name, (long)u->uid, (long)u->gid, strerror(errno));
	return -1;
}

int
privs_drop(const struct privs_user *u, char *err, size_t errlen, char *warn,
    size_t warnlen)
{
	cap_value_t c;
	cap_t caps;
	int bound_err = 0;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	/*
	 * The bounding set first: dropping from it needs CAP_SETPCAP, which
	 * the narrowed set below no longer has.  It leaves the permitted set
	 * (CAP_SETUID, CAP_SETGID for the change of user) as it is.
	 */
	for (c = 0; c < 64; c++) {
		/*
		 * Skip what is already out (systemd's CapabilityBoundingSet):
		 * dropping it would fail for want of CAP_SETPCAP.
		 */
		if (privs_kept(c) || CAP_IS_SUPPORTED(c) == 0 ||
		    cap_get_bound(c) == 0)
			continue;
		if (cap_drop_bound(c) != 0 && bound_err == 0)
			bound_err = errno;
	}
	if (bound_err != 0 && warn != NULL && warnlen > 0)
		snprintf(warn, warnlen, "bounding set not narrowed: %s",
		    strerror(bound_err));
	if (u->change && privs_become(u, err, errlen) != 0)
		return -1;
	/* After setuid the effective set is empty, the permitted one kept. */
	if ((caps = cap_init()) == NULL) {
		snprintf(err, errlen, "cap_init: %s", strerror(errno));
		return -1;
	}
	if (cap_set_flag(caps, CAP_PERMITTED, 2, privs_keep, CAP_SET) != 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 2, privs_keep, CAP_SET) != 0 ||
	    cap_set_proc(caps) != 0) {
		snprintf(err, errlen, "cap_set_proc: %s", strerror(errno));
		cap_free(caps);
		return -1;
	}
	cap_free(caps);
#ifdef PR_CAP_AMBIENT
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
#endif
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		snprintf(err, errlen, "PR_SET_NO_NEW_PRIVS: %s",
		    strerror(errno));
		return -1;
	}
	/* The way back must be closed: CAP_SETUID is gone. */
	if (u->change && setuid(0) == 0) {
		snprintf(err, errlen, "setuid(0) still works after the drop");
		return -1;
	}
	return privs_seccomp(err, errlen);
}
#else
int
privs_drop(const struct privs_user *u, char *err, size_t errlen, char *warn,
    size_t warnlen)
{
	(void)u;
	(void)err;
	(void)errlen;
	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	return 0;
}
#endif
