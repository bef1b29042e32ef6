#if defined(__linux__)
#define _GNU_SOURCE
#include <sys/prctl.h>
#endif
#include "process_control.h"
#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>
#if defined(__APPLE__)
#include <sys/un.h>
#endif

int agent_trace_set_parent_death_signal(int signal) {
#if defined(__linux__)
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
#else
    (void)signal;
    errno = ENOSYS;
    return -1;
#endif
}

int agent_trace_peer_pid(int fd) {
#if defined(__linux__)
    struct ucred credentials;
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
    return credentials.pid > 0 ? (int)credentials.pid : -1;
#elif defined(__APPLE__)
    pid_t pid = 0;
    socklen_t length = sizeof pid;
    if (getsockopt(fd, SOL_LOCAL, LOCAL_PEERPID, &pid, &length) != 0) return -1;
    return pid > 0 ? (int)pid : -1;
#else
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}
