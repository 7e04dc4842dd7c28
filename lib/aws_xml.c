#include <err.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "aws_xml.h"
#include "strbuf.h"

#define MAXDEPTH	64
#define MAXTEXT		(16 * 1024 * 1024)

struct build {
	struct aws_xml *root;
	struct aws_xml *stack[MAXDEPTH];
	struct aws_xml *last[MAXDEPTH];		/* last child, to append */
	struct strbuf text[MAXDEPTH];
	int depth, failed;
};

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct build *b = ud;
	struct aws_xml *e, *parent;
	const char *colon;

	if (b->failed || b->depth == MAXDEPTH ||
	    (e = calloc(1, sizeof(*e))) == NULL) {
		b->failed = 1;
		return;
	}
	/* "ns:Name" and "{uri}Name": keep the local name. */
	if ((colon = strrchr(name, ':')) != NULL)
		name = colon + 1;
	if ((e->name = strdup(name)) == NULL) {
		free(e);
		b->failed = 1;
		return;
	}
	parent = b->depth > 0 ? b->stack[b->depth - 1] : NULL;
	if (parent == NULL) {
		if (b->root != NULL) {
			aws_xml_free(e);
			b->failed = 1;
			return;
		}
		b->root = e;
	} else if (b->last[b->depth - 1] == NULL)
		parent->child = e;
	else
		b->last[b->depth - 1]->next = e;
	if (parent != NULL)
		b->last[b->depth - 1] = e;
	b->stack[b->depth] = e;
	b->last[b->depth] = NULL;
	strbuf_init(&b->text[b->depth], MAXTEXT);
	b->depth++;
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct build *b = ud;
	struct aws_xml *e;
	char *t, *s, *end;

	if (b->failed || b->depth == 0)
		return;
	b->depth--;
	e = b->stack[b->depth];
	if ((t = strbuf_finish(&b->text[b->depth])) == NULL) {
		b->failed = 1;
		return;
	}
	/* Trim the white space that indents pretty-printed replies. */
	for (s = t; *s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'; s++)
		;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\n' ||
	    end[-1] == '\r' || end[-1] == '\t'))
		end--;
	*end = '\0';
	memmove(t, s, (size_t)(end - s) + 1);
	e->text = t;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct build *b = ud;

	if (!b->failed && b->depth > 0 && len > 0)
		strbuf_add(&b->text[b->depth - 1], s, (size_t)len);
}

/**
 * aws_xml_parse(body, len):
 * Parse the ${len} bytes at ${body}; return the root element, or NULL if
 * it is not well-formed XML (reported with the line).
 */
struct aws_xml *
aws_xml_parse(const char *body, size_t len)
{
	struct build b;
	XML_Parser p;
	int ok, i;

	memset(&b, 0, sizeof(b));
	if (len > (size_t)1 << 30 || (p = XML_ParserCreate("UTF-8")) == NULL) {
		warnx("XML reply too large");
		return (NULL);
	}
	XML_SetUserData(p, &b);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	ok = XML_Parse(p, body, (int)len, 1) == XML_STATUS_OK;
	if (!ok)
		warnx("XML reply, line %lu: %s", XML_GetCurrentLineNumber(p),
		    XML_ErrorString(XML_GetErrorCode(p)));
	else if (b.failed || b.root == NULL)
		warnx("XML reply: %s", b.root == NULL ? "empty" :
		    "too deep or out of memory");
	XML_ParserFree(p);
	for (i = 0; i < b.depth; i++)
		strbuf_free(&b.text[i]);
	if (!ok || b.failed || b.root == NULL) {
		aws_xml_free(b.root);
		return (NULL);
	}
	return (b.root);
}

/**
 * aws_xml_find(node, path):
 * The first element below ${node} along ${path} ("Credentials/AccessKeyId"
 * names children, then grandchildren), or NULL.
 */
const struct aws_xml *
aws_xml_find(const struct aws_xml *node, const char *path)
{
	const struct aws_xml *c;
	const char *slash;
	size_t n;

	while (node != NULL && *path != '\0') {
		slash = strchr(path, '/');
		n = slash ? (size_t)(slash - path) : strlen(path);
		for (c = node->child; c != NULL; c = c->next)
			if (strlen(c->name) == n && strncmp(c->name, path, n) == 0)
				break;
		node = c;
		path = slash ? slash + 1 : path + n;
	}
	return (node);
}

/**
 * aws_xml_text(node, path):
 * The text of aws_xml_find(${node}, ${path}), or NULL.
 */
const char *
aws_xml_text(const struct aws_xml *node, const char *path)
{
	const struct aws_xml *e = aws_xml_find(node, path);

	return (e != NULL ? e->text : NULL);
}

/**
 * aws_xml_free(node):
 * Free the tree ${node}.  NULL is a no-op.
 */
void
aws_xml_free(struct aws_xml *node)
{
	struct aws_xml *next;

	/* Siblings in a loop, children by recursion (depth is bounded). */
	for (; node != NULL; node = next) {
		next = node->next;
		aws_xml_free(node->child);
		free(node->name);
		free(node->text);
		free(node);
	}
}
