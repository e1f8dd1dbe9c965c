// A handler module that throws as it loads, with the message the test puts in INIT_FAILURE: the runtime interface
// client reports it to the runtime API's init/error.
throw new Error(process.env.INIT_FAILURE);
