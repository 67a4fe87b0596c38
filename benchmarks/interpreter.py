"""An interpreter written in Python: the program a tracing JIT was built for.

A small stack VM runs one guest program, the sum 1 + 2 + ... + n with a loop (PUSH, LOAD,
STORE, ADD, GT, JUMP_IF_TRUE, JUMP, RETURN; 13 VM instructions per guest iteration).  The
source (TALK-SOURCES.md, "Other material"): a Python-level VM profiled on CPython, whose hot
spots were isinstance (2.7 M calls), len() on the stack, dict.get for names and thread
locks.  Dispatch loops are what PyPy's tracing JIT compiles best: the 2010 deck's "removing
bytecode-dispatch overhead", one level up (Bolz et al., "Tracing the Meta-Level", 2009).

Two lean VMs (tuples of (opcode, argument), variables in a list of slots) differ only in
dispatch: an if/elif chain, or a dict of handler functions, the usual CPython trick.  Two
VMs in the style of the profiled one: instruction objects dispatched with isinstance, a
len() check before each pop, variables looked up by name with dict.get, helper methods;
once without and once with a threading.Lock acquired per instruction.  The case where it
breaks: the JIT can fold away a class check, but a lock is a real atomic operation and a
call it cannot remove.  `native_loop` is the guest program written directly in Python.

Each variant runs N iterations of the guest loop; pyperf reports the time per iteration.
Run it with any interpreter:  pypy3 benchmarks/interpreter.py -o interpreter.json
"""

import threading

import pyperf

N = 200

PUSH, LOAD, STORE, ADD, GT, JUMP_IF_TRUE, JUMP, RETURN = range(8)
OPCODES = {"PUSH": PUSH, "LOAD": LOAD, "STORE": STORE, "ADD": ADD, "GT": GT,
           "JUMP_IF_TRUE": JUMP_IF_TRUE, "JUMP": JUMP, "RETURN": RETURN}

# The guest program: total = 0; i = 1; while not i > n: total += i; i += 1; return total
SOURCE = [
    ("PUSH", 0), ("STORE", "total"),
    ("PUSH", 1), ("STORE", "i"),
    ("LOAD", "i"), ("LOAD", "n"), ("GT", None), ("JUMP_IF_TRUE", 17),   # 4: loop
    ("LOAD", "total"), ("LOAD", "i"), ("ADD", None), ("STORE", "total"),
    ("LOAD", "i"), ("PUSH", 1), ("ADD", None), ("STORE", "i"),
    ("JUMP", 4),
    ("LOAD", "total"), ("RETURN", None),                                # 17: end
]

NAMES = ["n", "total", "i"]


def assemble(source):
    """(opcode, argument) tuples; names become slot numbers."""
    code = []
    for name, arg in source:
        if name in ("LOAD", "STORE"):
            arg = NAMES.index(arg)
        code.append((OPCODES[name], arg))
    return code


CODE = assemble(SOURCE)


def native_loop(n=N):
    """Baseline: the guest program written directly in Python."""
    total = 0
    i = 1
    while not i > n:
        total += i
        i += 1
    return total


def run_if_elif(code, n):
    stack = []
    slots = [n, 0, 0]
    pc = 0
    while True:
        op, arg = code[pc]
        pc += 1
        if op == PUSH:
            stack.append(arg)
        elif op == LOAD:
            stack.append(slots[arg])
        elif op == STORE:
            slots[arg] = stack.pop()
        elif op == ADD:
            b = stack.pop()
            stack.append(stack.pop() + b)
        elif op == GT:
            b = stack.pop()
            stack.append(stack.pop() > b)
        elif op == JUMP_IF_TRUE:
            if stack.pop():
                pc = arg
        elif op == JUMP:
            pc = arg
        elif op == RETURN:
            return stack.pop()


def if_elif(n=N):
    """The lean VM, dispatching with an if/elif chain on the opcode."""
    return run_if_elif(CODE, n)


def op_push(arg, stack, slots, pc):
    stack.append(arg)
    return pc + 1


def op_load(arg, stack, slots, pc):
    stack.append(slots[arg])
    return pc + 1


def op_store(arg, stack, slots, pc):
    slots[arg] = stack.pop()
    return pc + 1


def op_add(arg, stack, slots, pc):
    b = stack.pop()
    stack.append(stack.pop() + b)
    return pc + 1


def op_gt(arg, stack, slots, pc):
    b = stack.pop()
    stack.append(stack.pop() > b)
    return pc + 1


def op_jump_if_true(arg, stack, slots, pc):
    if stack.pop():
        return arg
    return pc + 1


def op_jump(arg, stack, slots, pc):
    return arg


def op_return(arg, stack, slots, pc):
    return -1


HANDLERS = {PUSH: op_push, LOAD: op_load, STORE: op_store, ADD: op_add, GT: op_gt,
            JUMP_IF_TRUE: op_jump_if_true, JUMP: op_jump, RETURN: op_return}


def run_handler_dict(code, n):
    stack = []
    slots = [n, 0, 0]
    pc = 0
    while pc >= 0:
        op, arg = code[pc]
        pc = HANDLERS[op](arg, stack, slots, pc)
    return stack.pop()


def handler_dict(n=N):
    """The lean VM, dispatching through a dict of handler functions."""
    return run_handler_dict(CODE, n)


class VMError(Exception):
    pass


class Instruction(object):
    def __init__(self, arg=None):
        self.arg = arg


class Push(Instruction):
    pass


class Load(Instruction):
    pass


class Store(Instruction):
    pass


class Add(Instruction):
    pass


class Greater(Instruction):
    pass


class JumpIfTrue(Instruction):
    pass


class Jump(Instruction):
    pass


class Return(Instruction):
    pass


INSTRUCTION_CLASSES = {"PUSH": Push, "LOAD": Load, "STORE": Store, "ADD": Add,
                       "GT": Greater, "JUMP_IF_TRUE": JumpIfTrue, "JUMP": Jump,
                       "RETURN": Return}
INSTRUCTIONS = [INSTRUCTION_CLASSES[name](arg) for name, arg in SOURCE]
MISSING = object()


class VMBase(object):
    """Helpers in the style of the profiled VM: len() checks the stack, dict.get finds names."""

    def __init__(self, code):
        self.code = code
        self.stack = []
        self.names = {}
        self.pc = 0
        self.result = None

    def push(self, value):
        self.stack.append(value)

    def pop(self):
        if len(self.stack) < 1:
            raise VMError("stack underflow")
        return self.stack.pop()

    def lookup(self, name):
        value = self.names.get(name, MISSING)
        if value is MISSING:
            raise VMError("undefined name %r" % (name,))
        return value


class ProfiledVM(VMBase):
    """Instruction objects dispatched with isinstance."""

    def step(self, ins):
        self.pc += 1
        if isinstance(ins, Push):
            self.push(ins.arg)
        elif isinstance(ins, Load):
            self.push(self.lookup(ins.arg))
        elif isinstance(ins, Store):
            self.names[ins.arg] = self.pop()
        elif isinstance(ins, Add):
            b = self.pop()
            self.push(self.pop() + b)
        elif isinstance(ins, Greater):
            b = self.pop()
            self.push(self.pop() > b)
        elif isinstance(ins, JumpIfTrue):
            if self.pop():
                self.pc = ins.arg
        elif isinstance(ins, Jump):
            self.pc = ins.arg
        elif isinstance(ins, Return):
            self.result = self.pop()
            self.pc = -1
        else:
            raise VMError("unknown instruction %r" % (ins,))

    def run(self, n):
        self.names["n"] = n
        while self.pc >= 0:
            self.step(self.code[self.pc])
        return self.result


class LockedVM(ProfiledVM):
    """The same VM, made thread-safe: a lock is held around each instruction."""

    def __init__(self, code):
        ProfiledVM.__init__(self, code)
        self.lock = threading.Lock()

    def run(self, n):
        self.names["n"] = n
        while self.pc >= 0:
            with self.lock:
                self.step(self.code[self.pc])
        return self.result


def checked_vm(n=N):
    """The profiled-style VM: isinstance, len() on the stack, dict.get for names; no lock."""
    return ProfiledVM(INSTRUCTIONS).run(n)


def locked_vm(n=N):
    """The same VM, acquiring a threading.Lock around each instruction."""
    return LockedVM(INSTRUCTIONS).run(n)


VARIANTS = [native_loop, if_elif, handler_dict, checked_vm, locked_vm]

#: variants that compute the same value (a test compares what they return)
SAME_RESULT = [["native_loop", "if_elif", "handler_dict", "checked_vm", "locked_vm"]]

#: how the slides name each variant in a sentence
LABELS = {
    "native_loop": "the program in plain Python",
    "if_elif": "an if/elif VM",
    "handler_dict": "a dict-of-handlers VM",
    "checked_vm": "the profiled VM, no lock",
    "locked_vm": "the profiled VM with a lock",
}

CLAIMS = {
    "jit-runs-the-vm": {
        "claim": "if_elif on pypy is faster than on cpython by at least 5x",
        "source": "kit", "said": "the JIT compiles an interpreter's dispatch loop"},
    "jit-runs-the-profiled-vm": "locked_vm on pypy is faster than on cpython by at least 5x",
    "dict-dispatch-on-cpython": {
        "claim": "handler_dict on cpython is faster than if_elif on cpython",
        "source": "folk", "said": "on CPython, a dict of handlers beats if/elif"},
    "dict-dispatch-on-pypy": "handler_dict on pypy is about as fast as if_elif on pypy within 25%",
    "checks-cost-on-cpython": "checked_vm on cpython is slower than if_elif on cpython by at "
                              "least 1.5x",
    "checks-cheap-on-pypy": "checked_vm on pypy is about as fast as if_elif on pypy within 25%",
    "lock-costs-on-pypy": {
        "claim": "locked_vm on pypy is slower than checked_vm on pypy by at least 1.5x",
        "source": "kit", "said": "a lock per instruction stays in the compiled loop"},
}

if __name__ == "__main__":
    runner = pyperf.Runner()
    runner.metadata["description"] = __doc__.splitlines()[0]
    for func in VARIANTS:
        runner.bench_func(func.__name__, func, inner_loops=N)
