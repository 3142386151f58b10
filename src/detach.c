/* Detaching from the terminal.  See detach.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "detach.h"
#include "log.h"

int
detach(void)
{
	int p[2], fd;
	pid_t pid;
	char c = 0;

	if (pipe(p) != 0) {
		log_err(LOG_ERR, "pipe");
		return -2;
	}
	if ((pid = fork()) < 0) {
		log_err(LOG_ERR, "fork");
		return -2;
	}
	if (pid > 0) {
		close(p[1]);
		/* The daemon writes one byte once it runs. */
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		(void)waitpid(pid, NULL, 0);
		_exit(c == 'r' ? 0 : 1);
	}
	close(p[0]);
	if (setsid() < 0)
		_exit(1);
	if ((pid = fork()) < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		_exit(1);
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return p[1];
}
