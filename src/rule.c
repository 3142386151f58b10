/* placeholder: to be written */
#include "config.h"
typedef int rule_placeholder;
