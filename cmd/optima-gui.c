/* optima-gui - the dashboard of a project directory, in a web browser */

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicio.h"
#include "cmdline.h"
#include "gui_http.h"
#include "log.h"
#include "parsenum.h"
#include "projdir.h"
#include "settings.h"
#include "version.h"

/* Say how to run the program, and exit 2. */
static void __attribute__((noreturn))
usage(int help)
{

	cmdline_usage(help,
	    "usage: optima-gui [--allow-edits] [--allowed-host name] "
	    "[--host address]\n"
	    "                  [--port port] [--project-root dir] "
	    "[--theme light|dark]\n"
	    "       optima-gui --version\n");
}

/* Whether ${s} can be the host of a Host header: a name of letters,
 * digits, '-', '_' and '.', an IPv4 address, or an IPv6 address in
 * brackets; no port. */
static int
host_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 253)
		return (0);
	if (s[0] == '[')
		return (n > 2 && s[n - 1] == ']' && strspn(s + 1,
		    "0123456789abcdefABCDEF:.") == n - 2);
	return (strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == n);
}

/* Whether ${dir} holds the page. */
static int
has_page(const char *dir)
{
	char p[PATH_MAX + 32];
	struct stat sb;

	return ((size_t)snprintf(p, sizeof(p), "%s/index.html", dir) <
	    sizeof(p) && stat(p, &sb) == 0 && S_ISREG(sb.st_mode));
}

/* The directory of the page's files: $OPTIMA_GUI_DIR, else beside the
 * program as installed (BINDIR/../share/optima/gui), else in the source
 * tree it was built in (build/bin/../../gui).  NULL if none has them. */
static char *
assets_dir(void)
{
	static const char *const rel[] = { "../share/optima/gui",
	    "../../gui" };
	char exe[PATH_MAX], p[PATH_MAX + 32], *slash, *env;
	ssize_t n;
	size_t i;

	if ((env = getenv("OPTIMA_GUI_DIR")) != NULL && *env != '\0')
		return (has_page(env) ? strdup(env) : NULL);
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return (NULL);
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return (NULL);
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", exe, rel[i]);
		if (has_page(p))
			return (strdup(p));
	}
	return (NULL);
}

/* Parse the options, then serve the dashboard until a signal. */
int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "allow-edits", no_argument, NULL, 'e' },
		{ "allowed-host", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ "host", required_argument, NULL, 'H' },
		{ "port", required_argument, NULL, 'P' },
		{ "project-root", required_argument, NULL, 'p' },
		{ "theme", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct gui_http_opts o;
	struct projdir *pd;
	struct settings *s;
	const char *root = NULL;
	char *assets;
	int ch, rc, port_set = 0, theme_set = 0;

	log_progname();
	memset(&o, 0, sizeof(o));
	/* --allowed-host: at most one per argument. */
	if ((o.allowed = calloc((size_t)argc, sizeof(*o.allowed))) == NULL)
		err(1, "calloc");
	o.host = "127.0.0.1";
	o.port = 8501;
	o.theme = "light";
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.allow_edits = 1;
			break;
		case 'A':
			if (!host_name(optarg)) {
				warnx("--allowed-host %s: not a host name or "
				    "address", optarg);
				usage(0);
			}
			o.allowed[o.nallowed++] = optarg;
			break;
		case 'H':
			if (*optarg == '\0')
				usage(0);
			o.host = optarg;
			break;
		case 'P':
			if (parsenum_int(&o.port, optarg, 0, 65535)) {
				warnx("--port %s: %s", optarg,
				    parsenum_strerror(errno));
				usage(0);
			}
			port_set = 1;
			break;
		case 'p':
			root = optarg;
			break;
		case 't':
			if (strcmp(optarg, "light") != 0 &&
			    strcmp(optarg, "dark") != 0) {
				warnx("--theme %s: not light or dark",
				    optarg);
				usage(0);
			}
			o.theme = optarg;
			theme_set = 1;
			break;
		case 'V':
			free(o.allowed);
			version_print(stdout, "optima-gui");
			return (atomicio_close_stdout() ? 1 : 0);
		case 'h':
			usage(1);
		default:
			usage(0);
		}
	}
	if (optind != argc)
		usage(0);

	if ((assets = assets_dir()) == NULL) {
		warnx("the page's files (index.html) are not installed: set "
		    "OPTIMA_GUI_DIR, or make install");
		free(o.allowed);
		return (1);
	}
	o.assets = assets;
	if ((pd = projdir_open(root, 0)) == NULL) {
		free(assets);
		free(o.allowed);
		return (1);
	}
	/* STREAMLIT_SERVER_PORT and STREAMLIT_THEME, unless an option
	 * said otherwise; MIN_SAVINGS_THRESHOLD_USD, to say why a table has
	 * no recommendation. */
	if ((s = cmdline_settings(pd)) == NULL) {
		projdir_free(pd);
		free(assets);
		free(o.allowed);
		return (1);
	}
	if (!port_set)
		o.port = settings_int(s, "STREAMLIT_SERVER_PORT");
	if (!theme_set)
		o.theme = settings_get(s, "STREAMLIT_THEME");
	o.min_savings = settings_double(s, "MIN_SAVINGS_THRESHOLD_USD");
	rc = gui_http_serve(pd, &o, stdout) ? 1 : 0;
	settings_free(s);
	projdir_free(pd);
	free(assets);
	free(o.allowed);
	return (rc);
}
