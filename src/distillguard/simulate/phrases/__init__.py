"""The words of the simulated traffic: templates and topic vocabularies, written for this project.

Pure data for :mod:`distillguard.simulate.text` and :mod:`distillguard.simulate.responses`,
which fill these templates with a caller's ``random.Random``. The phrases live in data files
(``simulate/data/phrases/<module>.json``); each module below names and types the values of its
file. Nothing here is random or mutable: tuples and read-only mappings only. One module per
kind of text:

* :mod:`~distillguard.simulate.phrases.languages`: names and scripts of the nine languages, and
  what goes between two sentences in each.
* :mod:`~distillguard.simulate.phrases.english_prompts`: ordinary users' English prompts,
  templates and vocabularies per capability area, and follow-ups.
* :mod:`~distillguard.simulate.phrases.intl_prompts`: ordinary users' prompts in the other
  languages: complete questions per area and the sentences around them.
* :mod:`~distillguard.simulate.phrases.answers`: answers, reasoning and refusals.
* :mod:`~distillguard.simulate.phrases.apps`: customer apps' system prompts and their end
  users' input.
* :mod:`~distillguard.simulate.phrases.lookalikes`: benchmark items, CI review bots with their
  diffs, and synthetic-data jobs.
* :mod:`~distillguard.simulate.phrases.campaigns`: the prompt families of distillation
  campaigns.
* :mod:`~distillguard.simulate.phrases.public`: public text many customers send word for word
  (popular system prompts).
* :mod:`~distillguard.simulate.phrases.tables`: the types, and the loader and typed readers of
  the data files.

Conventions:

* English prompt templates use ``{slot}`` fields filled with :func:`str.format_map` from the
  area's vocabulary.
* Other languages have complete questions per area (so no grammar depends on a slot) and
  sentences to put around them: greeting, context, detail, thanks.
* Code (answer snippets, diffs, benchmark stubs) uses ``@@name@@`` placeholders, replaced with
  :meth:`str.replace`, because code is full of braces.
* Campaign wording follows the public descriptions of distillation prompt families (see
  docs/simulator.md); legitimate look-alikes (evaluations, CI review bots,
  synthetic-data jobs, app backends) get their own, equally plausible wording.
"""
