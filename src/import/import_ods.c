/* import_ods.c - placeholder until the ODS reader lands. */
#include "import_internal.h"

cadre_error imp_ods_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags)
{
    (void)sheet, (void)sink;
    cadre_diags_error(diags, f->path, 0, "ODS is not read yet");
    return CADRE_EIO;
}
