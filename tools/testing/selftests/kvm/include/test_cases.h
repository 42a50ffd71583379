/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Named cases of one selftest program, chosen on its command line:
 *
 *	prog                   every case
 *	prog TEST...           the cases named
 *	prog -TEST...          every case but those
 *
 * A name that is no case fails the program, so that a typo neither runs
 * everything nor nothing.  The program keeps its cases in an array of
 * structures with a .name member.
 */
#ifndef SELFTEST_KVM_TEST_CASES_H
#define SELFTEST_KVM_TEST_CASES_H

#include <stdbool.h>
#include <string.h>

#include "kvm_util.h"

/* Whether case @name runs, given the program's arguments. */
static inline bool test_case_selected(int argc, char *argv[],
				      const char *name)
{
	bool named = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && !strcmp(argv[i] + 1, name))
			return false;
		if (argv[i][0] != '-')
			named = true;
	}
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return !named;
}

/* Fail the program on an argument that names no case of @cases. */
#define test_cases_check_args(cases, argc, argv)			\
do {									\
	int __a, __c;							\
									\
	for (__a = 1; __a < (argc); __a++) {				\
		const char *__n = (argv)[__a] + ((argv)[__a][0] == '-');	\
									\
		for (__c = 0; __c < ARRAY_SIZE(cases); __c++)		\
			if (!strcmp(__n, (cases)[__c].name))		\
				break;					\
		TEST_ASSERT(__c < ARRAY_SIZE(cases), "no test '%s'",	\
			    (argv)[__a]);				\
	}								\
} while (0)

#endif /* SELFTEST_KVM_TEST_CASES_H */
