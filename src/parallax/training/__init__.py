"""Training the shipped framing, technique and polarity heads (``make models``).

What: ``parallax.training.build`` retrains every shipped model from ``../shared/data`` with fixed
seeds and writes weights + model cards into ``parallax/models/restricted/``; ``cache`` keeps the
encoder outputs of a training file on disk so repeated runs (cross-validation, ``make models``
after a change) do not re-encode it; ``speakers`` trains the speaker ranker on PolNeAR.
Why a package of its own: training needs scikit-learn fits and whole-file passes that the run
time never does; keeping them apart keeps the analysis modules small.
"""
