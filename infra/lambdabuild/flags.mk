# How every Lambda bootstrap is built: the one definition, included by the
# Makefile (make build, the build-<LogicalId> targets of sam build, make vet
# and make test) and read by infra/bench and the tests through package
# infra/lambdabuild. Lines are NAME := value.
#
#   lambda.norpc            aws-lambda-go without its net/rpc mode (the
#                           provided.al2023 runtime speaks the Runtime API).
#   validator_novalidatefn  drops validator's validateFn (no struct uses it):
#                           its reflect MethodByName call makes the linker keep
#                           every exported method of every type, about 3.5 MB of
#                           each bootstrap. A validateFn rule panics under it,
#                           so the tests run with these tags too.
LAMBDA_TAGS := lambda.norpc,validator_novalidatefn
LAMBDA_LDFLAGS := -s -w
