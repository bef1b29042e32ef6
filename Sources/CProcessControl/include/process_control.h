#ifndef AGENT_TRACE_PROCESS_CONTROL_H
#define AGENT_TRACE_PROCESS_CONTROL_H

/// Asks the kernel to send `signal` to the calling process when the thread
/// that created it ends (Linux `prctl(PR_SET_PDEATHSIG)`). Returns 0, or -1
/// with errno set (ENOSYS where the system has no such request).
int agent_trace_set_parent_death_signal(int signal);

/// The process id of the peer of the connected Unix socket `fd`, as the
/// kernel recorded it when the peer connected (Linux `SO_PEERCRED`, macOS
/// `LOCAL_PEERPID`); -1 with errno set when it cannot be known.
int agent_trace_peer_pid(int fd);

#endif
