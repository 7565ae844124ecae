"""shell_terminal.py: runs savu_config on a pseudo-terminal, the way a person
uses it, and checks what only a terminal shows: the start-up lines, the
prompt (">>> ", then "<stem> >>> " once a file is open), an empty line
running help, Ctrl-C abandoning the line being typed, Ctrl-D leaving, the
farewell, no colour when NO_COLOR is set, and colour and the terminal's
width (60 columns here) when it is not.

Usage: shell_terminal.py SAVU_CONFIG LIST.nxs
Prints one line per problem and exits 1 when there is any."""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

problems = []


def problem(text):
    problems.append(text)
    print("not ok: " + text)


class Session:
    def __init__(self, argv, env, columns=80):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        self.out = b""
        self.pos = 0  # where the next search starts

    def read_until(self, text, timeout=10.0):
        """Reads until text has appeared (after what was read before)."""
        want = text.encode()
        deadline = time.time() + timeout
        while self.out.find(want, self.pos) < 0 and time.time() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        at = self.out.find(want, self.pos)
        if at < 0:
            problem("did not see %r; the output ends with %r" % (text, self.out[-300:]))
            return False
        self.pos = at + len(want)
        return True

    def send(self, data):
        os.write(self.fd, data.encode())

    def finish(self, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.out += chunk
        pid, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)


def main():
    savu_config, list_file = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    env["HOME"] = os.environ.get("TMPDIR", "/tmp")
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    s = Session([savu_config], env)
    s.read_until("Running the configurator")
    s.read_until("Starting Savu Config tool (please wait for prompt)")
    s.read_until("*** Press Enter for a list of available commands. ***")
    s.read_until(">>> ")
    s.send("\r")                       # an empty line runs help
    s.read_until("Savu configurator commands")
    s.read_until(">>> ")
    s.send("add NxtomoLo")             # Ctrl-C abandons this line
    time.sleep(0.2)
    s.send("\x03")
    s.read_until(">>> ")
    s.send("disp -q\r")
    s.read_until("The process list is empty.")
    s.read_until(">>> ")
    s.send("open %s\r" % list_file)
    stem = os.path.splitext(os.path.basename(list_file))[0]
    s.read_until("%s >>> " % stem)
    s.send("exit\r")
    s.read_until("Are you sure? [y/N] ")
    s.send("n\r")
    s.read_until("%s >>> " % stem)
    s.send("\x04")                     # Ctrl-D leaves
    s.read_until("Thanks for using the application")
    status = s.finish()
    if status != 0:
        problem("exit status %d, not 0" % status)
    if b"\x1b[" in s.out.replace(b"\x1b[?1034h", b""):
        # readline may switch the meta key on; no SGR colour may appear
        if b"\x1b[100" in s.out or b"\x1b[0m" in s.out:
            problem("colour codes although NO_COLOR is set")
    if b"I'm sorry" in s.out:
        problem("the abandoned line was run as a command")

    # colour, and the width of the terminal
    env.pop("NO_COLOR")
    env["COLUMNS"] = "100"
    c = Session([savu_config], env, columns=60)
    c.read_until(">>> ")
    c.send("add NxtomoLoader\r")
    c.read_until("\x1b[100;97m 1) NxtomoLoader" + " " * 44 + "\x1b[0m")
    c.read_until(">>> ")
    c.send("disp -q\r")
    c.read_until("\r\n" + "*" * 60 + "\r\n")
    c.read_until(">>> ")
    c.send("exit\r")
    c.read_until("The process list has unsaved changes: they will be lost.")
    c.read_until("Are you sure? [y/N] ")
    c.send("y\r")
    c.read_until("Thanks for using the application")
    if c.finish() != 0:
        problem("exit status not 0 after exit")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
