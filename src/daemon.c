/* placeholder: to be written */
#include "config.h"
typedef int daemon_placeholder;
