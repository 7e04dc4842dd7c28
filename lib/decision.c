#include <sys/stat.h>

#include <errno.h>
#include <err.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "atomicio.h"
#include "datetime.h"
#include "decision.h"
#include "ndjson.h"

static const char *const statuses[] = { "pending", "accepted", "rejected",
	"implemented", NULL };

/**
 * decision_valid_status(s):
 * Non-zero if ${s} is a status.
 */
int
decision_valid_status(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && statuses[i] != NULL; i++)
		if (strcmp(s, statuses[i]) == 0)
			return (1);
	return (0);
}

/**
 * decision_load(path):
 * Read the decisions of ${path} into an object id -> last decision.
 * Return NULL on a read error (reported).
 */
json_t *
decision_load(const char *path)
{
	struct ndjson_reader *r;
	const struct ndjson_pos *pos;
	const char *line, *id, *kind;
	struct stat sb;
	json_t *all, *rec;
	size_t len;
	int rc;

	if ((all = json_object()) == NULL) {
		warnx("out of memory");
		return (NULL);
	}
	if (lstat(path, &sb) == -1 && errno == ENOENT)
		return (all);
	if ((r = ndjson_reader_open(path, NDJSON_MAXLINE)) == NULL)
		goto err0;
	while ((rc = ndjson_reader_line(r, &line, &len)) == 1) {
		pos = ndjson_reader_pos(r);
		rec = json_loadb(line, len, JSON_REJECT_DUPLICATES, NULL);
		kind = json_string_value(json_object_get(rec, "kind"));
		id = json_string_value(json_object_get(rec, "id"));
		if (kind == NULL || strcmp(kind, "decision") != 0 ||
		    id == NULL || !decision_valid_status(json_string_value(
		    json_object_get(rec, "status")))) {
			ndjson_warnx(pos, "not a decision record (skipped)");
			json_decref(rec);
			continue;
		}
		if (json_object_set_new(all, id, rec)) {
			warnx("out of memory");
			goto err1;
		}
	}
	if (rc < 0)
		goto err1;
	ndjson_reader_close(r);
	return (all);

err1:
	ndjson_reader_close(r);
err0:
	json_decref(all);
	return (NULL);
}

/**
 * decision_status(decisions, id):
 * The status of ${id}: its last decision's, else "pending".
 */
const char *
decision_status(const json_t *decisions, const char *id)
{
	const char *s;

	s = json_string_value(json_object_get(json_object_get(decisions, id),
	    "status"));
	return (s != NULL ? s : "pending");
}

/* Whether the file open at ${fd} is empty or ends with a newline. */
static int
ends_whole(int fd)
{
	off_t end;
	char c;

	if ((end = lseek(fd, 0, SEEK_END)) <= 0 ||
	    pread(fd, &c, 1, end - 1) != 1)
		return (1);
	return (c == '\n');
}

/**
 * decision_append(path, id, status, note, at):
 * Append a decision record to ${path} in one write, and fsync it.
 * Return 0, or -1 on error (reported).
 */
int
decision_append(const char *path, const char *id, const char *status,
    const char *note, time_t at)
{
	char when[DATETIME_LEN], *line, *buf, *dir;
	struct stat sb;
	json_t *rec;
	size_t len;
	int fd, created, rc = -1;

	rec = json_pack("{s:s, s:s, s:s}", "kind", "decision", "id", id,
	    "status", status);
	if (rec != NULL && note != NULL && json_object_set_new(rec, "note",
	    json_string(note))) {
		json_decref(rec);
		rec = NULL;
	}
	if (rec != NULL)
		json_object_set_new(rec, "at", json_string(datetime_format(when,
		    at)));
	if (rec == NULL || (line = json_dumps(rec, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) == NULL) {
		warnx("%s: cannot encode the decision (is the note UTF-8?)",
		    path);
		json_decref(rec);
		return (-1);
	}
	json_decref(rec);
	created = lstat(path, &sb) == -1;
	/* Appended to only if a regular file, never through a link. */
	if ((fd = atomicio_open_regular(path, O_RDWR | O_APPEND | O_CREAT,
	    0644)) == -1)
		goto err0;
	/* A line torn by a crash is ended first, in the same write. */
	len = strlen(line);
	if ((buf = malloc(len + 2)) == NULL) {
		warn("%s", path);
		goto err1;
	}
	buf[0] = '\n';
	memcpy(buf + 1, line, len);
	buf[len + 1] = '\n';
	if (ends_whole(fd) ? atomicio_write_all(fd, buf + 1, len + 1) :
	    atomicio_write_all(fd, buf, len + 2)) {
		warn("%s", path);
		goto err2;
	}
	if (fsync(fd)) {
		warn("fsync %s", path);
		goto err2;
	}
	if (created) {
		if ((dir = strdup(path)) == NULL) {
			warn("%s", path);
			goto err2;
		}
		if (atomicio_fsync_dir(dirname(dir))) {
			free(dir);
			goto err2;
		}
		free(dir);
	}
	rc = 0;
err2:
	free(buf);
err1:
	if (close(fd) && rc == 0) {
		warn("%s", path);
		rc = -1;
	}
err0:
	free(line);
	return (rc);
}
