namespace SecDcc.DeviceProtocol;
