/* entry_citations.c: the citations a process-list entry carries: those read
 * from its file, else its plugin's own whose dependency on a parameter value
 * holds (declared in nexus.h; the writer and the engine's run log use it). */
#include "nexus.h"
#include "savu_plugin.h"
#include "validate.h"

static json_t *citation_object(const struct savu_citation *c)
{
    return json_pack("{s:s, s:s, s:s, s:s}",
                     "description", c->description ? c->description : "",
                     "doi", c->doi ? c->doi : "",
                     "bibtex", c->bibtex ? c->bibtex : "",
                     "endnote", c->endnote ? c->endnote : "");
}

/* A citation's dependency has the form of a parameter's ({"param":
 * [values]}, a tuned value matching when any of its values does), so the
 * parameter rule decides it. */
static bool citation_applies(const struct savu_citation *c, const json_t *params)
{
    const struct savu_param_def as_param = { .name = c->label, .dependency = c->dependency };
    return savu_param_is_active(&as_param, params);
}

json_t *savu_entry_citations(const savu_entry *e)
{
    if (e->citations)
        return json_deep_copy(e->citations);
    json_t *list = json_array();
    if (!list || !e->plugin)
        return list;
    for (size_t i = 0; i < e->plugin->n_citations; i++) {
        const struct savu_citation *c = &e->plugin->citations[i];
        if (!citation_applies(c, e->params))
            continue;
        if (json_array_append_new(list, citation_object(c)) < 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}
