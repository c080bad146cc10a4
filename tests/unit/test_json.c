/* test_json.c — the JSON writer: separators in both styles, nesting,
 * escaping, every kind of value, arrays written a line per item, and
 * misuse stopping the program instead of writing broken JSON. */
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "json.h"
#include "util.h"

static void test_compact(void)
{
	struct buf b;
	buf_init(&b);
	struct json j;
	json_init(&j, &b, JSON_COMPACT);
	json_object(&j);
	json_key(&j, "@context");
	json_str(&j, "https://schema.org");
	json_key(&j, "name");
	json_str(&j, "困窮×コロナ \"x\" <b>\\");
	json_key(&j, "organizer");
	json_array(&j);
	for (int i = 0; i < 2; i++) {
		json_object(&j);
		json_key(&j, "@type");
		json_str(&j, "Organization");
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "n");
	json_int(&j, -42);
	json_key(&j, "big");
	json_int(&j, LLONG_MIN);
	json_key(&j, "t");
	json_bool(&j, 1);
	json_key(&j, "f");
	json_bool(&j, 0);
	json_key(&j, "none");
	json_str(&j, NULL);
	json_key(&j, "z");
	json_null(&j);
	json_key(&j, "empty");
	json_array(&j);
	json_end(&j);
	json_key(&j, "obj");
	json_object(&j);
	json_end(&j);
	json_end(&j);
	CHECK_STR(b.data, "{\"@context\":\"https://schema.org\","
	                  "\"name\":\"困窮×コロナ \\\"x\\\" \\u003cb>\\\\\","
	                  "\"organizer\":[{\"@type\":\"Organization\"},{\"@type\":\"Organization\"}],"
	                  "\"n\":-42,\"big\":-9223372036854775808,\"t\":true,\"f\":false,"
	                  "\"none\":null,\"z\":null,\"empty\":[],\"obj\":{}}");
	CHECK_INT(j.depth, 0);
	buf_free(&b);
}

static void test_spaced_and_lines(void)
{
	struct buf b;
	buf_init(&b);
	struct json j;
	json_init(&j, &b, JSON_SPACED);
	json_object(&j);
	json_key(&j, "a");
	json_array_lines(&j);
	for (int i = 0; i < 2; i++) {
		json_object(&j);
		json_key(&j, "k");
		json_int(&j, i);
		json_key(&j, "l");
		json_array(&j);
		json_str(&j, "x");
		json_str(&j, "y");
		json_end(&j);
		json_end(&j);
	}
	json_end(&j);
	json_key(&j, "b");
	json_array_lines(&j);
	json_end(&j);
	json_end(&j);
	CHECK_STR(b.data, "{\"a\": [\n{\"k\": 0, \"l\": [\"x\", \"y\"]},\n"
	                  "{\"k\": 1, \"l\": [\"x\", \"y\"]}\n], \"b\": []}");
	buf_free(&b);

	/* A bare value, and control characters escaped. */
	buf_init(&b);
	json_init(&j, &b, JSON_SPACED);
	json_str(&j, "a\nb\tc\x01");
	CHECK_STR(b.data, "\"a\\nb\\tc\\u0001\"");
	buf_free(&b);
}

/* Runs f in a child process; 1 when it aborted. */
static int aborts(void (*f)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 2);
		f();
		_exit(0);
	}
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 0;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* The misuse cases, each run in a child process. */
static struct buf mb;
static struct json mj;

static void begin(void)
{
	buf_init(&mb);
	json_init(&mj, &mb, JSON_COMPACT);
}

static void value_without_key(void)
{
	begin();
	json_object(&mj);
	json_int(&mj, 1);
}

static void key_in_array(void)
{
	begin();
	json_array(&mj);
	json_key(&mj, "k");
}

static void end_too_often(void)
{
	begin();
	json_array(&mj);
	json_end(&mj);
	json_end(&mj);
}

static void key_without_value(void)
{
	begin();
	json_object(&mj);
	json_key(&mj, "k");
	json_end(&mj);
}

static void two_top_values(void)
{
	begin();
	json_int(&mj, 1);
	json_int(&mj, 2);
}

static void too_deep(void)
{
	begin();
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		json_array(&mj);
}

static void test_misuse(void)
{
	CHECK(aborts(value_without_key));
	CHECK(aborts(key_in_array));
	CHECK(aborts(end_too_often));
	CHECK(aborts(key_without_value));
	CHECK(aborts(two_top_values));
	CHECK(aborts(too_deep));
}

int main(void)
{
	test_compact();
	test_spaced_and_lines();
	test_misuse();
	return harness_done("json");
}
